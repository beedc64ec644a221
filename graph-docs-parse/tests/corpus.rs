//! Conformance on the real v1.0 reference (`../shared/corpus/graph-docs-2021/v1.0` relative to
//! the workspace). Skipped with a message when the corpus is absent.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

use graph_docs_parse::*;

fn corpus_dir() -> Option<PathBuf> {
    let dir =
        Path::new(env!("CARGO_MANIFEST_DIR")).join("../../shared/corpus/graph-docs-2021/v1.0");
    if dir.is_dir() {
        Some(dir)
    } else {
        eprintln!("SKIP: corpus not found at {}", dir.display());
        None
    }
}

#[test]
fn v1_corpus_meets_the_acceptance_thresholds() {
    let Some(dir) = corpus_dir() else { return };
    let c = Corpus::load(&dir).expect("corpus loads");
    let s = c.stats();
    eprintln!("{}", serde_json::to_string_pretty(&s).unwrap());
    assert_eq!(s.pages, 3341);
    assert_eq!(
        s.pages,
        s.api_pages + s.resource_pages + s.enum_pages + s.other_pages
    );

    let ratio = |a: usize, b: usize| a as f64 / b.max(1) as f64;
    assert!(
        ratio(s.api_pages_with_routes, s.api_pages) >= 0.998,
        "API pages with routes: {}/{}",
        s.api_pages_with_routes,
        s.api_pages
    );
    assert!(
        (2700..=3300).contains(&s.endpoints),
        "endpoints: {}",
        s.endpoints
    );
    // pages that state "no properties" (empty facets, open types) count as read correctly;
    // the strict ratio is printed above
    assert!(
        ratio(
            s.resource_pages_with_properties + s.resource_pages_documented_empty,
            s.resource_pages
        ) >= 0.99,
        "resource pages with properties: {} (+{} documented empty) / {}",
        s.resource_pages_with_properties,
        s.resource_pages_documented_empty,
        s.resource_pages
    );
    assert!(ratio(s.resource_pages_with_properties, s.resource_pages) >= 0.95);
    assert!(
        ratio(s.type_cells_unknown, s.type_cells) <= 0.005,
        "unknown type cells {}/{}",
        s.type_cells_unknown,
        s.type_cells
    );
    assert!(
        ratio(s.type_refs_resolved, s.type_refs) >= 0.995,
        "type refs resolved {}/{}",
        s.type_refs_resolved,
        s.type_refs
    );
    assert!(
        ratio(s.json_blocks_parsed, s.json_blocks) >= 0.995,
        "JSON blocks {}/{}",
        s.json_blocks_parsed,
        s.json_blocks
    );
    assert!(s.type_cells > 10_000 && s.type_refs > 4_000 && s.json_blocks > 3_000);

    // every page that yields nothing has a located diagnostic saying why
    for p in &c.pages {
        let path = &p.meta().path;
        let why = match p {
            Page::Api(a) if a.routes.is_empty() => Some("GD003"),
            Page::Resource(r)
                if r.properties.is_empty() && r.relationships.is_empty() && !r.documented_empty =>
            {
                Some("GD004")
            }
            Page::Other(_) => Some("GD002"),
            _ => None,
        };
        if let Some(code) = why {
            assert!(
                c.diagnostics.iter().any(|d| &d.file == path
                    && d.code == code
                    && d.loc.line >= 1
                    && d.loc.col >= 1),
                "{} yields nothing but has no {code} diagnostic",
                path.display()
            );
        }
    }

    // deterministic: a sequential load gives the same pages and diagnostics
    let seq = Corpus::load_with_threads(&dir, 1).unwrap();
    assert_eq!(seq.stats(), s);
    assert_eq!(seq.diagnostics, c.diagnostics);
    assert_eq!(seq.files, c.files);
    assert_eq!(c.files.len(), 3341);
    assert!(c.files.iter().all(|f| f.is_absolute()));
}

#[test]
fn v1_corpus_types_and_routes() {
    let Some(dir) = corpus_dir() else { return };
    let c = Corpus::load(&dir).expect("corpus loads");
    // a linked name differing in case from its file name
    let d = c
        .resolve("driveItemUploadableProperties")
        .expect("resolves");
    assert_eq!(d.name(), "driveItemUploadableProperties");
    assert!(
        matches!(c.resolve("microsoft.graph.driveItem"), Some(TypeDef::Resource(r)) if r.base_type.as_deref() == Some("baseItem") && r.key_property.as_deref() == Some("id"))
    );
    // an enum section of enums.md
    assert!(
        matches!(c.resolve("lifecycleEventType"), Some(TypeDef::Enum(e)) if e.members.iter().any(|m| m.name == "missed"))
    );
    // a sub-namespace enum referenced as `callRecords.x`
    assert!(matches!(
        c.resolve("microsoft.graph.callRecords.clientPlatform"),
        Some(TypeDef::Enum(_))
    ));
    // routes differing only in placeholder names are one endpoint
    let keys: BTreeSet<(String, Method)> = c.routes().map(|(_, r)| (r.key(), r.method)).collect();
    assert_eq!(keys.len(), c.stats().endpoints);
    assert!(keys.contains(&("/users/{}".to_string(), Method::Get)));
    // every route shape of the issue occurs
    let segs: Vec<&Segment> = c.routes().flat_map(|(_, r)| r.segments.iter()).collect();
    assert!(segs
        .iter()
        .any(|s| matches!(s, Segment::Function { params, .. } if params.len() == 2)));
    assert!(segs
        .iter()
        .any(|s| matches!(s, Segment::Function { name, .. } if name == "reminderView")));
    assert!(segs
        .iter()
        .any(|s| matches!(s, Segment::ColonPath { closed: true, .. })));
    assert!(segs.iter().any(|s| matches!(s, Segment::Cast(_))));
    assert!(segs
        .iter()
        .any(|s| matches!(s, Segment::Key { names } if names.len() == 2)));
}
