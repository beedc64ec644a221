//! `cargo +nightly fuzz run parse_page` (from graph-docs-parse/): any bytes, never a panic.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let text = String::from_utf8_lossy(data);
    let (page, diags) = graph_docs_parse::parse_page(std::path::Path::new("api/fuzz.md"), &text);
    for d in &diags {
        let _ = d.to_string();
    }
    if let graph_docs_parse::Page::Api(a) = &page {
        for r in &a.routes {
            let _ = r.key();
        }
    }
    let parsed = graph_docs_parse::lenient_json::parse(&text);
    // the check made at parse time and the value built later agree
    match (graph_docs_parse::lenient_json::Json::new(&text), parsed.value()) {
        (Ok(j), Some(v)) => assert_eq!(j.value(), &v),
        (Err(_), None) => {}
        (j, v) => panic!("check {:?} but parse {:?}", j.is_ok(), v.is_some()),
    }
});
