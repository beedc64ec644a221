//! The single pulldown-cmark pass: markdown text → a flat list of [`Block`]s with locations.
//!
//! Everything else in the crate works on these blocks, so a page is tokenised exactly once.

use pulldown_cmark::{CodeBlockKind, Event, Options, Parser, Tag, TagEnd};

use crate::model::Loc;

/// The pulldown-cmark options used for every page (and by the benchmark's bare pass).
pub fn options() -> Options {
    Options::ENABLE_TABLES | Options::ENABLE_YAML_STYLE_METADATA_BLOCKS
}

/// Maps byte offsets to 1-based line / character columns.
pub(crate) struct LineIndex<'a> {
    text: &'a str,
    starts: Vec<usize>,
}

impl<'a> LineIndex<'a> {
    pub(crate) fn new(text: &'a str) -> Self {
        let mut starts = Vec::with_capacity(text.len() / 40 + 1);
        starts.push(0);
        starts.extend(text.match_indices('\n').map(|(i, _)| i + 1));
        LineIndex { text, starts }
    }

    /// The location of byte offset `off` (clamped to the text).
    pub(crate) fn loc(&self, off: usize) -> Loc {
        let off = off.min(self.text.len());
        let line = match self.starts.binary_search(&off) {
            Ok(i) => i,
            Err(i) => i.saturating_sub(1),
        };
        let start = self.starts[line];
        let col = self
            .text
            .get(start..off)
            .map(|s| s.chars().count())
            .unwrap_or_else(|| {
                String::from_utf8_lossy(&self.text.as_bytes()[start..off])
                    .chars()
                    .count()
            });
        Loc {
            line: (line + 1) as u32,
            col: (col + 1) as u32,
        }
    }
}

/// A link inside inline content.
#[derive(Debug, Clone, Default)]
pub(crate) struct Link {
    /// The link text (plain).
    pub text: String,
    /// The destination as written (reference links resolved by pulldown-cmark).
    pub dest: String,
}

/// Inline content rendered as plain text: entities decoded, code spans without backticks,
/// `<br>` as `\n`, plus the links it holds.
#[derive(Debug, Clone, Default)]
pub(crate) struct Inline {
    pub text: String,
    pub links: Vec<Link>,
    /// Byte range of the source.
    pub start: usize,
    pub end: usize,
    /// Whether the content starts with a strong/emphasis or code span (used for names).
    pub code_spans: Vec<String>,
}

/// One block of a page.
#[derive(Debug, Clone)]
pub(crate) enum Block {
    Heading {
        level: u8,
        inline: Inline,
        loc: Loc,
    },
    Para {
        inline: Inline,
        loc: Loc,
        in_quote: bool,
    },
    Code {
        info: String,
        text: String,
        loc: Loc,
        /// Line of the first content line.
        body_line: u32,
    },
    Html {
        text: String,
        loc: Loc,
    },
    Table {
        header: Vec<Cell>,
        rows: Vec<Vec<Cell>>,
        loc: Loc,
    },
}

/// A table cell.
#[derive(Debug, Clone, Default)]
pub(crate) struct Cell {
    pub inline: Inline,
    pub loc: Loc,
}

impl Cell {
    pub(crate) fn text(&self) -> &str {
        self.inline.text.trim()
    }
}

/// Tokenises a page. `text` must be the whole page.
pub(crate) fn scan(text: &str, lines: &LineIndex<'_>) -> Vec<Block> {
    let parser = Parser::new_ext(text, options()).into_offset_iter();
    let mut blocks = Vec::with_capacity(64);
    let mut cur: Option<Inline> = None;
    let mut cur_loc = Loc::default();
    let mut link_stack: Vec<(usize, String)> = Vec::new();
    // code block
    let mut code: Option<(String, String, Loc, usize)> = None;
    let mut html: Option<(String, Loc)> = None;
    let mut heading: Option<u8> = None;
    let mut quote_depth = 0u32;
    // table
    let mut table: Option<(Vec<Cell>, Vec<Vec<Cell>>, Loc)> = None;
    let mut row: Vec<Cell> = Vec::new();
    let mut in_head = false;
    let mut in_meta = false;

    fn flush(cur: &mut Option<Inline>, blocks: &mut Vec<Block>, loc: Loc, in_quote: bool) {
        if let Some(inline) = cur.take() {
            if !inline.text.trim().is_empty() || !inline.links.is_empty() {
                blocks.push(Block::Para {
                    inline,
                    loc,
                    in_quote,
                });
            }
        }
    }

    for (ev, range) in parser {
        if in_meta {
            if let Event::End(TagEnd::MetadataBlock(_)) = ev {
                in_meta = false;
            }
            continue;
        }
        if let Some((_, body, _, _)) = code.as_mut() {
            match ev {
                Event::Text(t) => body.push_str(&t),
                Event::End(TagEnd::CodeBlock) => {
                    if let Some((info, text, loc, start)) = code.take() {
                        // the first content line is the line after the fence (fenced) or the
                        // block's own first line (indented)
                        let first = lines.loc(start).line
                            + u32::from(!info.is_empty() || is_fence(text_at(lines, start)));
                        blocks.push(Block::Code {
                            info,
                            text,
                            loc,
                            body_line: first,
                        });
                    }
                }
                _ => {}
            }
            continue;
        }
        match ev {
            Event::Start(tag) => match tag {
                Tag::MetadataBlock(_) => in_meta = true,
                Tag::Paragraph | Tag::Item => {
                    flush(&mut cur, &mut blocks, cur_loc, quote_depth > 0);
                    cur_loc = lines.loc(range.start);
                }
                Tag::List(_) => flush(&mut cur, &mut blocks, cur_loc, quote_depth > 0),
                Tag::BlockQuote(_) => {
                    flush(&mut cur, &mut blocks, cur_loc, quote_depth > 0);
                    quote_depth += 1;
                }
                Tag::Heading { level, .. } => {
                    flush(&mut cur, &mut blocks, cur_loc, quote_depth > 0);
                    heading = Some(level as u8);
                    cur_loc = lines.loc(range.start);
                    cur = Some(Inline {
                        start: range.start,
                        ..Default::default()
                    });
                }
                Tag::CodeBlock(kind) => {
                    flush(&mut cur, &mut blocks, cur_loc, quote_depth > 0);
                    let info = match kind {
                        CodeBlockKind::Fenced(i) => {
                            let i = i.trim();
                            if i.is_empty() {
                                // keep "fenced" distinguishable from indented
                                " ".to_string()
                            } else {
                                i.to_string()
                            }
                        }
                        CodeBlockKind::Indented => String::new(),
                    };
                    code = Some((info, String::new(), lines.loc(range.start), range.start));
                }
                Tag::HtmlBlock => {
                    flush(&mut cur, &mut blocks, cur_loc, quote_depth > 0);
                    html = Some((String::new(), lines.loc(range.start)));
                }
                Tag::Table(_) => {
                    flush(&mut cur, &mut blocks, cur_loc, quote_depth > 0);
                    table = Some((Vec::new(), Vec::new(), lines.loc(range.start)));
                }
                Tag::TableHead => {
                    in_head = true;
                    row.clear();
                }
                Tag::TableRow => row.clear(),
                Tag::TableCell => {
                    // point at the cell's content, not the space after the pipe
                    let ws = text
                        .get(range.clone())
                        .map(|c| c.len() - c.trim_start().len())
                        .unwrap_or(0);
                    cur_loc = lines.loc(range.start + ws);
                    cur = Some(Inline {
                        start: range.start,
                        ..Default::default()
                    });
                }
                Tag::Link { dest_url, .. } | Tag::Image { dest_url, .. } => {
                    if cur.is_none() {
                        cur_loc = lines.loc(range.start);
                        cur = Some(Inline {
                            start: range.start,
                            ..Default::default()
                        });
                    }
                    if let Some(i) = &cur {
                        link_stack.push((i.text.len(), dest_url.to_string()));
                    }
                }
                _ => {}
            },
            Event::End(tag) => match tag {
                TagEnd::Paragraph | TagEnd::Item | TagEnd::List(_) => {
                    if let Some(i) = &mut cur {
                        i.end = range.end;
                    }
                    flush(&mut cur, &mut blocks, cur_loc, quote_depth > 0)
                }
                TagEnd::BlockQuote(_) => {
                    flush(&mut cur, &mut blocks, cur_loc, quote_depth > 0);
                    quote_depth = quote_depth.saturating_sub(1);
                }
                TagEnd::Heading(_) => {
                    if let (Some(level), Some(mut inline)) = (heading.take(), cur.take()) {
                        inline.end = range.end;
                        blocks.push(Block::Heading {
                            level,
                            inline,
                            loc: cur_loc,
                        });
                    }
                }
                TagEnd::HtmlBlock => {
                    if let Some((text, loc)) = html.take() {
                        blocks.push(Block::Html { text, loc });
                    }
                }
                TagEnd::TableCell => {
                    if let Some(mut inline) = cur.take() {
                        inline.end = range.end;
                        row.push(Cell {
                            inline,
                            loc: cur_loc,
                        });
                    }
                }
                TagEnd::TableHead => {
                    in_head = false;
                    if let Some(t) = table.as_mut() {
                        t.0 = std::mem::take(&mut row);
                    }
                }
                TagEnd::TableRow => {
                    if let Some(t) = table.as_mut() {
                        if in_head {
                            t.0 = std::mem::take(&mut row);
                        } else {
                            t.1.push(std::mem::take(&mut row));
                        }
                    }
                }
                TagEnd::Table => {
                    if let Some((header, rows, loc)) = table.take() {
                        blocks.push(Block::Table { header, rows, loc });
                    }
                }
                TagEnd::Link | TagEnd::Image => {
                    if let (Some((start, dest)), Some(i)) = (link_stack.pop(), &mut cur) {
                        let text = i.text.get(start..).unwrap_or("").trim().to_string();
                        i.links.push(Link { text, dest });
                    }
                }
                _ => {}
            },
            Event::Text(t) => {
                if let Some((h, _)) = html.as_mut() {
                    h.push_str(&t);
                    continue;
                }
                inline_mut(&mut cur, &mut cur_loc, lines, range.start)
                    .text
                    .push_str(&t);
            }
            Event::Code(t) => {
                let i = inline_mut(&mut cur, &mut cur_loc, lines, range.start);
                i.text.push_str(&t);
                i.code_spans.push(t.to_string());
            }
            Event::Html(t) => {
                if let Some((h, _)) = html.as_mut() {
                    h.push_str(&t);
                } else {
                    blocks.push(Block::Html {
                        text: t.to_string(),
                        loc: lines.loc(range.start),
                    });
                }
            }
            Event::InlineHtml(t) => {
                let lower = t.trim().to_ascii_lowercase();
                if lower.starts_with("<br") {
                    inline_mut(&mut cur, &mut cur_loc, lines, range.start)
                        .text
                        .push('\n');
                } else if lower.starts_with("<!--") {
                    // an annotation comment inside a paragraph: keep it as its own block
                    blocks.push(Block::Html {
                        text: t.to_string(),
                        loc: lines.loc(range.start),
                    });
                }
            }
            Event::SoftBreak => {
                if let Some(i) = &mut cur {
                    i.text.push(' ');
                }
            }
            Event::HardBreak => {
                if let Some(i) = &mut cur {
                    i.text.push('\n');
                }
            }
            _ => {}
        }
    }
    flush(&mut cur, &mut blocks, cur_loc, quote_depth > 0);
    if let Some((info, text, loc, _)) = code.take() {
        blocks.push(Block::Code {
            info,
            text,
            loc,
            body_line: loc.line + 1,
        });
    }
    blocks
}

fn text_at<'a>(lines: &LineIndex<'a>, off: usize) -> &'a str {
    lines.text.get(off..).unwrap_or("")
}

fn is_fence(s: &str) -> bool {
    let t = s.trim_start();
    t.starts_with("```") || t.starts_with("~~~")
}

fn inline_mut<'c>(
    cur: &'c mut Option<Inline>,
    cur_loc: &mut Loc,
    lines: &LineIndex<'_>,
    start: usize,
) -> &'c mut Inline {
    if cur.is_none() {
        *cur_loc = lines.loc(start);
    }
    cur.get_or_insert_with(|| Inline {
        start,
        ..Default::default()
    })
}
