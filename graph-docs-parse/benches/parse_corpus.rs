//! Full parse (+ type index and link resolution) of the v1.0 corpus against a bare
//! pulldown-cmark pass over the same texts, in the same run. `cargo bench -p graph-docs-parse`.
//!
//! Both passes run on one thread over texts already in memory, so the ratio measures parsing
//! only; the wall time of `Corpus::load` (reading files, all cores) is printed too.

use std::hint::black_box;
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use graph_docs_parse::{markdown_options, parse_page, Corpus};

fn collect(dir: &Path, out: &mut Vec<PathBuf>) {
    let Ok(rd) = std::fs::read_dir(dir) else {
        return;
    };
    for e in rd.flatten() {
        let p = e.path();
        if p.is_dir() {
            collect(&p, out);
        } else if p.extension().is_some_and(|x| x == "md") {
            out.push(p);
        }
    }
}

fn best_of(n: usize, mut f: impl FnMut()) -> Duration {
    (0..n)
        .map(|_| {
            let t = Instant::now();
            f();
            t.elapsed()
        })
        .min()
        .unwrap_or_default()
}

fn main() {
    let dir =
        Path::new(env!("CARGO_MANIFEST_DIR")).join("../../shared/corpus/graph-docs-2021/v1.0");
    if !dir.is_dir() {
        println!(
            "parse_corpus: corpus not found at {}, skipping",
            dir.display()
        );
        return;
    }
    let mut paths = Vec::new();
    collect(&dir, &mut paths);
    paths.sort();
    let texts: Vec<(PathBuf, String)> = paths
        .into_iter()
        .filter_map(|p| std::fs::read_to_string(&p).ok().map(|t| (p, t)))
        .collect();
    let bytes: usize = texts.iter().map(|(_, t)| t.len()).sum();
    let runs = 7;

    let bare = best_of(runs, || {
        let mut events = 0usize;
        for (_, t) in &texts {
            for (ev, range) in
                pulldown_cmark::Parser::new_ext(t, markdown_options()).into_offset_iter()
            {
                black_box(&ev);
                black_box(&range);
                events += 1;
            }
        }
        black_box(events);
    });

    let scan = best_of(runs, || {
        let mut n = 0;
        for (_, t) in &texts {
            n += graph_docs_parse::__scan_only(t);
        }
        black_box(n);
    });
    let pages_only = best_of(runs, || {
        let mut n = 0;
        for (p, t) in &texts {
            let (page, d) = parse_page(p, t);
            n += d.len();
            black_box(&page);
        }
        black_box(n);
    });
    println!(
        "scan only {:.1} ms, pages only {:.1} ms",
        scan.as_secs_f64() * 1000.0,
        pages_only.as_secs_f64() * 1000.0
    );

    let full = best_of(runs, || {
        let mut pages = Vec::with_capacity(texts.len());
        let mut diags = Vec::new();
        for (p, t) in &texts {
            let (page, d) = parse_page(p, t);
            pages.push(page);
            diags.extend(d);
        }
        let c = Corpus::from_pages(&dir, pages, diags);
        black_box(c.types.len());
    });

    let load = best_of(3, || {
        black_box(Corpus::load(&dir).map(|c| c.pages.len()).unwrap_or(0));
    });

    let ms = |d: Duration| d.as_secs_f64() * 1000.0;
    println!(
        "corpus: {} pages, {:.1} MiB",
        texts.len(),
        bytes as f64 / (1024.0 * 1024.0)
    );
    println!(
        "bare pulldown-cmark pass (1 thread):          {:8.1} ms",
        ms(bare)
    );
    println!(
        "full parse + index + link resolution (1 thr): {:8.1} ms",
        ms(full)
    );
    println!(
        "ratio full / bare:                            {:8.2}x (target <= 2.00x)",
        ms(full) / ms(bare)
    );
    println!(
        "Corpus::load wall time (read files, all cores): {:6.1} ms",
        ms(load)
    );
}
