//! Whatever names a page uses, the generator never panics and the code it produces parses as
//! Rust: keywords, `$`-segments, annotations, names starting with digits, `|` alternatives,
//! non-ASCII, names that collide after snake_casing, and model names that collide with
//! generated-code names.

use std::path::{Path, PathBuf};

use graph_docs_codegen::{generate_file, Options};
use graph_docs_parse::Corpus;

const NASTY: &[&str] = &[
    "type",
    "self",
    "Self",
    "crate",
    "super",
    "async",
    "ref",
    "$value",
    "$ref",
    "$count",
    "@odata.type",
    "@microsoft.graph.conflictBehavior",
    "2fa",
    "id|name",
    "café",
    "_",
    "__",
    "fooBar",
    "foo_bar",
    "FooBar",
    "Option",
    "String",
    "Vec",
    "Client",
    "additionalProperties",
    "get",
    "post",
    "by_id",
    "build",
    "send",
    "r#try",
    "x-y",
    "a.b.c",
];

struct TempDocs(PathBuf);

impl TempDocs {
    fn new(i: usize) -> TempDocs {
        let dir = Path::new(env!("CARGO_TARGET_TMPDIR"))
            .join(format!("nasty-{}-{i}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(dir.join("api")).unwrap();
        std::fs::create_dir_all(dir.join("resources")).unwrap();
        TempDocs(dir)
    }
}

impl Drop for TempDocs {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

fn api_page(a: &str, b: &str, model: &str) -> String {
    format!(
        "---\ntitle: \"{a} {b}\"\ndoc_type: apiPageType\n---\n\n# {a}\n\nNamespace: microsoft.graph\n\n\
## Permissions\n\n|Permission type|Permissions (from least to most privileged)|\n|:---|:---|\n\
|Delegated (work or school account)|X.Read|\n|Delegated (personal Microsoft account)|Not supported.|\n|Application|X.Read.All|\n\n\
## HTTP request\n\n```http\nGET /{a}/{{id}}/{b}\nPOST /{a}/{{id}}/{b}/{a}\nGET /{a}/{b}({a}={{x}})\nGET /{a}/root:/{{path}}:/{b}\n```\n\n\
## Request body\n\n|Parameter|Type|Description|\n|:---|:---|:---|\n|{a}|String|First.|\n|{b}|[{model}](../resources/{model}.md)|Second.|\n\n\
## Response\n\nIf successful, this method returns a `200 OK` response code and a [{model}](../resources/{model}.md) object in the response body.\n"
    )
}

fn resource_page(model: &str, a: &str, b: &str) -> String {
    format!(
        "---\ntitle: \"{model} resource type\"\ndoc_type: resourcePageType\n---\n\n# {model} resource type\n\n\
Namespace: microsoft.graph\n\n## Properties\n\n|Property|Type|Description|\n|:---|:---|:---|\n\
|{a}|String|One.|\n|{b}|Int64|Two.|\n|{a}s|[{model}](../resources/{model}.md) collection|Children.|\n\
|parent|[{model}](../resources/{model}.md)|Cycle.|\n|kind|kindOf{model}|Enum.|\n\n\
### kindOf{model} values\n\n|Member|\n|:---|\n|{a}|\n|{b}|\n|other|\n"
    )
}

#[test]
fn any_names_generate_code_that_parses() {
    let mut cases = 0;
    for (i, a) in NASTY.iter().enumerate() {
        let b = NASTY[(i * 7 + 3) % NASTY.len()];
        let model = NASTY[(i * 5 + 1) % NASTY.len()];
        let docs = TempDocs::new(i);
        let file_model: String = model
            .chars()
            .filter(|c| c.is_ascii_alphanumeric())
            .collect::<String>()
            .to_ascii_lowercase();
        let file_model = if file_model.is_empty() {
            "m".to_string()
        } else {
            file_model
        };
        std::fs::write(docs.0.join("api/op.md"), api_page(a, b, model)).unwrap();
        std::fs::write(
            docs.0.join(format!("resources/{file_model}.md")),
            resource_page(model, a, b),
        )
        .unwrap();
        let corpus = Corpus::load(&docs.0).expect("loads");
        for skip_invalid in [false, true] {
            let opts = Options {
                skip_invalid,
                example_tests: true,
                ..Default::default()
            };
            // Either code that parses (generate_file parses it with syn) or located errors.
            match generate_file(&corpus, &opts) {
                Ok((code, _)) => {
                    assert!(
                        code.contains("pub struct Client"),
                        "case {a:?} / {b:?} / {model:?}"
                    );
                    cases += 1;
                }
                Err(diags) => {
                    assert!(!diags.is_empty());
                    for d in diags {
                        assert!(
                            !d.message.contains("internal error"),
                            "case {a:?} / {b:?} / {model:?}: {d}"
                        );
                    }
                }
            }
        }
    }
    assert!(cases >= NASTY.len(), "most cases generate code ({cases})");
}
