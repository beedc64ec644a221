//! Property-style robustness test: arbitrary bytes and mutated pages never panic the parser,
//! and every diagnostic points inside the page. Deterministic (fixed seeds), stable toolchain.

use std::path::Path;

use graph_docs_parse::*;

const FIXTURES: &[&str] = &[
    "---\ntitle: x\n---\n# x\n## Permissions\n|Permission type|Permissions (from most to least privileged)|\n|:--|:--|\n|Delegated (work or school account)|A.B, C.D|\n## HTTP request\n```http\nGET /a/{id}/b('{k}')/f(x={y})/c:/{p}:/microsoft.graph.t/$value?$top=1\n```\n## Request body\n|Parameter|Type|Description|\n|--|--|--|\n|a|[t](../resources/t.md) collection|Required.|\n## Response\nReturns `200 OK` and a collection of [t](t.md) objects.\n## Example\n<!-- { \"blockType\": \"request\", } -->\n```\nPOST https://graph.microsoft.com/v1.0/a\nContent-Type: application/json\n\n{\"a\": [1, ...], // c\n}\n```\n```\nHTTP/1.1 201 Created\n\n{\"value\": {}}\n```\n",
    "# widget resource type\n## Properties\n| Property | Type | Description |\n|--|--|--|\n| a | Collection(Edm.String) | Possible values are: `x`, `y`. Read-only. |\n## JSON representation\n<!-- { \"blockType\": \"resource\", \"@odata.type\": \"microsoft.graph.widget\" } -->\n```json\n{ \"a\": [\"string\"] }\n```\n### e values\n|Member|Value|\n|--|--|\n|x|0|\n",
    "\u{feff}# t\r\n\r\n## HTTP request\r\n\r\n```\r\nGET /x\r\n```\r\n\t|a|b\r\n|---\t|---|\r\n",
];

fn check(text: &str) {
    let (page, diags) = parse_page(Path::new("api/fuzz.md"), text);
    let lines = text.split('\n').count() as u32 + 1;
    for d in &diags {
        assert!(
            d.loc.line >= 1 && d.loc.line <= lines,
            "diagnostic outside the page: {d} in {text:?}"
        );
        assert!(d.code.len() == 5 && d.code.starts_with("GD"));
        let _ = d.to_string();
    }
    if let Page::Api(a) = &page {
        for r in &a.routes {
            assert!(r.path.starts_with('/'));
            let _ = r.key();
        }
    }
    if let Err(e) = serde_json::to_string(&page) {
        panic!("serialize: {e} for {text:?}");
    }
}

fn seed_text() -> String {
    let p =
        Path::new(env!("CARGO_MANIFEST_DIR")).join("../docs/api/driveitem-createuploadsession.md");
    std::fs::read_to_string(p).unwrap_or_default()
}

const TOKENS: &[&str] = &[
    "\n",
    "|",
    "```",
    "```http\n",
    "<!--",
    "-->",
    "{",
    "}",
    "(",
    ")",
    "'",
    "\"",
    ":",
    "/",
    "#",
    "## HTTP request\n",
    "## Permissions\n",
    "\r\n",
    "\t",
    "\u{feff}",
    "[x](y.md)",
    "[!INCLUDE [permissions-table](../includes/permissions/x.md)]",
    "GET ",
    "HTTP/1.1 ",
    "...",
    "//",
    "*",
    "`",
    "<br>",
    "&lt;",
    "é",
    "\u{0}",
    "---\n",
    "> ",
    "- ",
    "    ",
];

fn mutate(rng: &mut fastrand::Rng, base: &str) -> String {
    let mut s: Vec<char> = base.chars().collect();
    for _ in 0..rng.usize(1..12) {
        let at = if s.is_empty() {
            0
        } else {
            rng.usize(0..=s.len())
        };
        match rng.u8(0..5) {
            0 if !s.is_empty() => {
                let end = (at + rng.usize(1..40)).min(s.len());
                s.drain(at.min(end)..end);
            }
            1 => {
                let t = TOKENS[rng.usize(0..TOKENS.len())];
                s.splice(at..at, t.chars());
            }
            2 if !s.is_empty() => {
                // duplicate a slice (repeated sections, huge lines)
                let end = (at + rng.usize(1..200)).min(s.len());
                let piece: Vec<char> = s[at.min(end)..end].to_vec();
                s.splice(at..at, piece);
            }
            3 => s.insert(at, char::from_u32(rng.u32(0..0x3000)).unwrap_or('?')),
            _ => {
                if !s.is_empty() {
                    let i = rng.usize(0..s.len());
                    s[i] = TOKENS[rng.usize(0..TOKENS.len())]
                        .chars()
                        .next()
                        .unwrap_or('x');
                }
            }
        }
    }
    s.into_iter().collect()
}

#[test]
fn arbitrary_bytes_never_panic() {
    let mut rng = fastrand::Rng::with_seed(0x6772_6170_6864_6f63);
    for _ in 0..1000 {
        let len = rng.usize(0..600);
        let bytes: Vec<u8> = (0..len).map(|_| rng.u8(..)).collect();
        check(&String::from_utf8_lossy(&bytes));
        // token soup: structure-heavy garbage
        let soup: String = (0..rng.usize(0..120))
            .map(|_| TOKENS[rng.usize(0..TOKENS.len())])
            .collect();
        check(&soup);
    }
    for edge in [
        "",
        "\n",
        "```",
        "---",
        "---\n",
        "|",
        "# ",
        "<!--",
        "```http\nGET",
        "## HTTP request\n```\nGET /{{{{\n",
        &"x".repeat(200_000),
        &"|a".repeat(5_000),
    ] {
        check(edge);
    }
}

#[test]
fn mutated_pages_never_panic() {
    let seed = seed_text();
    let mut bases: Vec<&str> = FIXTURES.to_vec();
    if !seed.is_empty() {
        bases.push(&seed);
    }
    let mut rng = fastrand::Rng::with_seed(42);
    for round in 0..4000 {
        let base = bases[round % bases.len()];
        let m = mutate(&mut rng, base);
        check(&m);
    }
}

/// Real pages reach code paths the fixtures do not (tables of every shape, long examples,
/// includes): 3,000 mutations of pages of the v1.0 corpus (skipped when it is absent). The
/// byte-level fast paths of the readers are what this guards.
#[test]
fn mutated_corpus_pages_never_panic() {
    let dir =
        Path::new(env!("CARGO_MANIFEST_DIR")).join("../../shared/corpus/graph-docs-2021/v1.0");
    let mut pages: Vec<String> = ["api", "resources"]
        .iter()
        .filter_map(|d| std::fs::read_dir(dir.join(d)).ok())
        .flat_map(|rd| rd.flatten().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|x| x == "md"))
        .filter_map(|p| std::fs::read_to_string(p).ok())
        .collect();
    if pages.is_empty() {
        eprintln!("SKIP: corpus not found at {}", dir.display());
        return;
    }
    pages.sort();
    let mut rng = fastrand::Rng::with_seed(0x636f_7270_7573);
    for _ in 0..3000 {
        let base = &pages[rng.usize(0..pages.len())];
        check(&mutate(&mut rng, base));
    }
}
