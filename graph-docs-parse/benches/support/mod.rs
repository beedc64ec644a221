//! The corpus benchmark shared by `parse_corpus` (the system allocator) and
//! `parse_corpus_jemalloc` (jemalloc, the allocator rustc runs proc macros with).
//!
//! Full parse (+ type index and link resolution) of the v1.0 corpus against a bare
//! pulldown-cmark pass over the same texts, in the same run. Both passes run on one thread over
//! texts already in memory, so the ratio measures parsing only; the wall time of
//! `Corpus::load` (reading files, all cores) is printed too. The two passes are run alternately
//! (15 runs after a warm-up) and medians are reported, so a busy machine slows both alike.

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

fn time(f: &mut impl FnMut()) -> Duration {
    let t = Instant::now();
    f();
    t.elapsed()
}

/// The median of `v` (sorted in place).
fn median(v: &mut [Duration]) -> Duration {
    v.sort();
    v.get(v.len() / 2).copied().unwrap_or_default()
}

/// Runs the benchmark and prints the report; `allocator` names the global allocator of the
/// bench binary (the ratio depends on it: the full parse allocates, the bare pass hardly does).
pub fn run(allocator: &str) {
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
    let runs = 15;

    // The baseline: pulldown-cmark with the parser's own options, consuming every event with
    // its byte range (the parser's pass uses `into_offset_iter` too), over the same texts.
    let mut bare = || {
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
    };
    // The full parse: every page, then the corpus (type index, file list, link resolution),
    // then dropped; returns the time the drop took (timed separately and also reported with it).
    let full = || {
        let mut pages = Vec::with_capacity(texts.len());
        let mut diags = Vec::new();
        for (p, t) in &texts {
            let (page, d) = parse_page(p, t);
            pages.push(page);
            diags.extend(d);
        }
        let c = Corpus::from_pages(&dir, pages, diags);
        black_box(c.types.len());
        let t = Instant::now();
        drop(c);
        t.elapsed()
    };
    let mut scan = || {
        let mut n = 0;
        for (_, t) in &texts {
            n += graph_docs_parse::__scan_only(t);
        }
        black_box(n);
    };
    let mut pages_only = || {
        let mut n = 0;
        for (p, t) in &texts {
            let (page, d) = parse_page(p, t);
            n += d.len();
            black_box(&page);
        }
        black_box(n);
    };
    // warm-up, then interleaved runs so both passes see the same machine load
    bare();
    black_box(full());
    let (mut b, mut f, mut s, mut po, mut ratios) =
        (Vec::new(), Vec::new(), Vec::new(), Vec::new(), Vec::new());
    let (mut fp, mut dr, mut ratios_parse) = (Vec::new(), Vec::new(), Vec::new());
    for _ in 0..runs {
        let tb = time(&mut bare);
        let start = Instant::now();
        let td = full();
        let tf = start.elapsed();
        ratios.push(tf.as_secs_f64() / tb.as_secs_f64());
        ratios_parse.push((tf - td).as_secs_f64() / tb.as_secs_f64());
        b.push(tb);
        f.push(tf);
        fp.push(tf - td);
        dr.push(td);
        s.push(time(&mut scan));
        po.push(time(&mut pages_only));
    }
    ratios.sort_by(f64::total_cmp);
    ratios_parse.sort_by(f64::total_cmp);
    let (bare, full) = (median(&mut b), median(&mut f));
    let (bare_min, full_min) = (b[0], f[0]);
    let (parse_links, drop_time) = (median(&mut fp), median(&mut dr));
    let parse_min = fp[0];
    let (scan, pages_only) = (median(&mut s), median(&mut po));

    // What building and dropping the returned IR costs by itself: a clone of the finished pages
    // and type index (resource pages are `Arc`s: cloned by reference; unbuilt JSON stays
    // unbuilt), then its drop.
    let corpus = {
        let mut pages = Vec::with_capacity(texts.len());
        let mut diags = Vec::new();
        for (p, t) in &texts {
            let (page, d) = parse_page(p, t);
            pages.push(page);
            diags.extend(d);
        }
        Corpus::from_pages(&dir, pages, diags)
    };
    let mut ir: Vec<Duration> = (0..runs)
        .map(|_| {
            time(&mut || {
                let copy = (corpus.pages.clone(), corpus.types.clone());
                black_box(&copy);
            })
        })
        .collect();
    let ir = median(&mut ir);
    drop(corpus);

    let mut l: Vec<Duration> = (0..3)
        .map(|_| {
            time(&mut || {
                black_box(Corpus::load(&dir).map(|c| c.pages.len()).unwrap_or(0));
            })
        })
        .collect();
    let load = median(&mut l);

    let ms = |d: Duration| d.as_secs_f64() * 1000.0;
    println!(
        "corpus: {} pages, {:.1} MiB; {runs} interleaved runs, one thread, texts in memory",
        texts.len(),
        bytes as f64 / (1024.0 * 1024.0)
    );
    println!("allocator: {allocator}");
    println!(
        "bare pulldown-cmark pass (every event + range): median {:7.1} ms   (min {:.1})",
        ms(bare),
        ms(bare_min)
    );
    println!(
        "tokenising into blocks only:                    median {:7.1} ms",
        ms(scan)
    );
    println!(
        "parse_page of every page (no corpus):           median {:7.1} ms",
        ms(pages_only)
    );
    println!(
        "full parse + index + link resolution:           median {:7.1} ms   (min {:.1})",
        ms(parse_links),
        ms(parse_min)
    );
    println!(
        "  then dropping the corpus:                     median {:7.1} ms",
        ms(drop_time)
    );
    println!(
        "full parse + index + link resolution + drop:    median {:7.1} ms   (min {:.1})",
        ms(full),
        ms(full_min)
    );
    println!(
        "IR alone (clone + drop of pages and index):     median {:7.1} ms   (= {:.2}x bare)",
        ms(ir),
        ms(ir) / ms(bare)
    );
    // median, min and max of sorted per-run ratios
    let spread = |r: &[f64]| {
        format!(
            "median of per-run ratios {:.2}x, range {:.2}-{:.2}x",
            r[r.len() / 2],
            r[0],
            r[r.len() - 1]
        )
    };
    println!(
        "ratio parse + links / bare: {:.2}x ({}; target <= 2.00x)",
        ms(parse_links) / ms(bare),
        spread(&ratios_parse)
    );
    println!(
        "ratio parse + links + drop / bare: {:.2}x ({})",
        ms(full) / ms(bare),
        spread(&ratios)
    );
    println!(
        "Corpus::load wall time (read files, all cores): median {:.1} ms",
        ms(load)
    );
}
