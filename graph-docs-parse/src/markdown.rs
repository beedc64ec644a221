//! The single pulldown-cmark pass: markdown text → a flat list of [`Block`]s with locations.
//!
//! Everything else in the crate works on these blocks, so a page is tokenised exactly once.

use std::cell::Cell as StdCell;

use bumpalo::collections::String as BString;
use bumpalo::collections::Vec as BVec;
use bumpalo::Bump;

use pulldown_cmark::{CodeBlockKind, CowStr, Event, Options, Parser, Tag, TagEnd};

use crate::model::Loc;

/// The pulldown-cmark options used for every page (and by the benchmark's bare pass).
pub fn options() -> Options {
    Options::ENABLE_TABLES | Options::ENABLE_YAML_STYLE_METADATA_BLOCKS
}

/// Maps byte offsets to 1-based line / character columns.
///
/// No line table is built: the scanner asks for offsets in (nearly) increasing order, so the
/// index keeps a cursor (offset, line, line start) and counts the newlines between the cursor
/// and the offset asked for, in either direction ([`count_newlines`]: the distances are mostly
/// a few dozen bytes, too short for `memchr`'s count to pay off), and finds the line start with
/// a backward search when the line changed.
pub(crate) struct LineIndex<'a> {
    text: &'a str,
    /// (offset, 0-based line, start of that line) of the previous offset asked for.
    cursor: StdCell<(usize, usize, usize)>,
}

impl<'a> LineIndex<'a> {
    pub(crate) fn new(text: &'a str) -> Self {
        LineIndex {
            text,
            cursor: StdCell::new((0, 0, 0)),
        }
    }

    /// The location of byte offset `off` (clamped to the text).
    pub(crate) fn loc(&self, off: usize) -> Loc {
        let bytes = self.text.as_bytes();
        let off = off.min(bytes.len());
        let (c_off, c_line, c_start) = self.cursor.get();
        // the 0-based line of `off` is the number of newlines before it
        let (line, start) = if off >= c_off {
            match count_newlines(&bytes[c_off..off]) {
                0 => (c_line, c_start),
                n => (c_line + n, line_start(bytes, off)),
            }
        } else {
            let n = count_newlines(&bytes[off..c_off]);
            (c_line - n, line_start(bytes, off))
        };
        self.cursor.set((off, line, start));
        let prefix = &bytes[start..off];
        let col = if prefix.is_ascii() {
            prefix.len()
        } else {
            match self.text.get(start..off) {
                Some(s) => s.chars().count(),
                None => String::from_utf8_lossy(prefix).chars().count(),
            }
        };
        Loc {
            line: (line + 1) as u32,
            col: (col + 1) as u32,
        }
    }
}

/// The start of the line holding byte offset `off`.
fn line_start(bytes: &[u8], off: usize) -> usize {
    // block starts are at (or a few bytes after) a line start: look back a little by hand
    // before calling the vectorised search
    let near = off.saturating_sub(32);
    match bytes[near..off].iter().rposition(|&b| b == b'\n') {
        Some(i) => near + i + 1,
        None => memchr::memrchr(b'\n', &bytes[..near]).map_or(0, |i| i + 1),
    }
}

/// The number of `\n` bytes in `bytes`: in blocks of 255 bytes, so that a block's count fits
/// a `u8` and the compiler turns the fold into byte-wise vector compares and subtractions.
fn count_newlines(bytes: &[u8]) -> usize {
    bytes
        .chunks(255)
        .map(|block| {
            let n = block.iter().fold(0u8, |n, &b| n + u8::from(b == b'\n'));
            usize::from(n)
        })
        .sum()
}

/// Text of a block: a borrow of the page when it is one contiguous piece of it, else of text
/// built in the page's arena (no heap allocation per cell or paragraph).
#[derive(Debug, Clone, Copy, Default)]
pub(crate) struct Text<'a>(&'a str);

impl std::ops::Deref for Text<'_> {
    type Target = str;
    fn deref(&self) -> &str {
        self.0
    }
}

/// Text being read: a borrow of the page while it is one contiguous piece of it, else built
/// in the page's arena.
#[derive(Default)]
struct TextBuf<'a> {
    borrowed: &'a str,
    built: Option<BString<'a>>,
}

impl<'a> TextBuf<'a> {
    fn borrowed(s: &'a str) -> Self {
        TextBuf {
            borrowed: s,
            built: None,
        }
    }

    /// The text as a growable arena string (copying the borrowed text on first use, with room
    /// for as much again: more pieces usually follow).
    fn to_mut(&mut self, bump: &'a Bump) -> &mut BString<'a> {
        let b = self.borrowed;
        self.built.get_or_insert_with(|| {
            let mut s = BString::with_capacity_in((2 * b.len()).max(64), bump);
            s.push_str(b);
            s
        })
    }

    /// The text so far.
    fn as_str(&self) -> &str {
        match &self.built {
            Some(s) => s.as_str(),
            None => self.borrowed,
        }
    }

    /// The text, borrowed for the arena's lifetime.
    fn into_str(self) -> &'a str {
        match self.built {
            Some(s) => s.into_bump_str(),
            None => self.borrowed,
        }
    }
}

/// A link inside inline content.
#[derive(Debug, Clone, Default)]
pub(crate) struct Link<'a> {
    /// The link text (plain).
    pub text: &'a str,
    /// The destination as written (reference links resolved by pulldown-cmark).
    pub dest: &'a str,
}

/// Inline content rendered as plain text: entities decoded, code spans without backticks,
/// `<br>` as `\n`, plus the links it holds. The text borrows the page while it is one
/// contiguous piece of it (the common case: a cell, a heading, a one-line paragraph).
#[derive(Debug, Clone)]
pub(crate) struct Inline<'a> {
    pub text: Text<'a>,
    /// The links, in the page's arena.
    pub links: BVec<'a, Link<'a>>,
    /// Byte range of the source.
    pub start: usize,
    pub end: usize,
}

impl<'a> Inline<'a> {
    fn new(start: usize, bump: &'a Bump) -> Self {
        Inline {
            text: Text::default(),
            links: BVec::new_in(bump),
            start,
            end: start,
        }
    }
}

/// Appends `piece` to `buf`, keeping `buf` a borrow of `src` when `piece` follows it there.
#[inline(always)]
fn push_piece<'a>(src: &'a str, bump: &'a Bump, buf: &mut TextBuf<'a>, piece: CowStr<'a>) {
    match piece {
        CowStr::Borrowed(p) => {
            if p.is_empty() {
                return;
            }
            if buf.built.is_none() {
                let b = buf.borrowed;
                if b.is_empty() {
                    buf.borrowed = p;
                    return;
                }
                if let Some(joined) = adjacent(src, b, p) {
                    buf.borrowed = joined;
                    return;
                }
            }
            push_built(bump, buf, p);
        }
        piece => push_built(bump, buf, &piece),
    }
}

/// Appends `piece` to the arena copy of `buf`'s text.
#[inline(never)]
fn push_built<'a>(bump: &'a Bump, buf: &mut TextBuf<'a>, piece: &str) {
    if !piece.is_empty() {
        buf.to_mut(bump).push_str(piece);
    }
}

/// `a` and `b` joined, when `b` starts exactly where `a` ends inside `src`.
fn adjacent<'a>(src: &'a str, a: &str, b: &str) -> Option<&'a str> {
    let base = src.as_ptr() as usize;
    let start = (a.as_ptr() as usize).checked_sub(base)?;
    let mid = start + a.len();
    if b.as_ptr() as usize != base + mid {
        return None;
    }
    src.get(start..mid + b.len())
}

/// One block of a page.
#[derive(Debug, Clone)]
pub(crate) enum Block<'a> {
    Heading {
        level: u8,
        inline: Inline<'a>,
        loc: Loc,
    },
    Para {
        inline: Inline<'a>,
        loc: Loc,
        in_quote: bool,
    },
    Code {
        info: &'a str,
        text: &'a str,
        loc: Loc,
        /// Line of the first content line.
        body_line: u32,
    },
    Html {
        text: &'a str,
        loc: Loc,
    },
    Table {
        header: &'a [Cell<'a>],
        rows: &'a [&'a [Cell<'a>]],
        loc: Loc,
    },
}

/// A table cell.
#[derive(Debug, Clone)]
pub(crate) struct Cell<'a> {
    pub inline: Inline<'a>,
    /// Byte offset of the cell's content in the page.
    at: usize,
    /// The location of `at`, worked out while scanning for the first cell of a row only (the
    /// others are asked for rarely: a diagnostic about a cell); `Loc::default()` otherwise.
    scanned: Loc,
}

impl Cell<'_> {
    pub(crate) fn text(&self) -> &str {
        self.inline.text.trim()
    }

    /// The location of the content of a row's first cell (worked out while scanning).
    pub(crate) fn first_loc(&self) -> Loc {
        debug_assert!(self.scanned != Loc::default(), "not a row's first cell");
        self.scanned
    }

    /// The location of the cell's content; `text` is the page the cell was read from.
    pub(crate) fn loc(&self, text: &str) -> Loc {
        if self.scanned != Loc::default() {
            self.scanned
        } else {
            LineIndex::new(text).loc(self.at)
        }
    }
}

/// A table being read: header, rows so far, location.
type TableBuild<'a> = (&'a [Cell<'a>], BVec<'a, &'a [Cell<'a>]>, Loc);

/// Takes the inline being read, with its text (`buf`, left empty) put in.
fn take_inline<'a>(cur: &mut Option<Inline<'a>>, buf: &mut TextBuf<'a>) -> Option<Inline<'a>> {
    let mut inline = cur.take()?;
    inline.text = Text(std::mem::take(buf).into_str());
    Some(inline)
}

/// Ends the paragraph being read, if any: kept unless it is blank without links.
#[inline]
fn flush<'a>(
    cur: &mut Option<Inline<'a>>,
    buf: &mut TextBuf<'a>,
    blocks: &mut Vec<Block<'a>>,
    loc: Loc,
    in_quote: bool,
) {
    if cur.is_some() {
        flush_para(cur, buf, blocks, loc, in_quote);
    }
}

/// [`flush`] when there is a paragraph (kept out of line: most calls find none).
#[inline(never)]
fn flush_para<'a>(
    cur: &mut Option<Inline<'a>>,
    buf: &mut TextBuf<'a>,
    blocks: &mut Vec<Block<'a>>,
    loc: Loc,
    in_quote: bool,
) {
    if let Some(inline) = take_inline(cur, buf) {
        // (`trim().is_empty()`, without looking at both ends)
        if !inline.text.chars().all(char::is_whitespace) || !inline.links.is_empty() {
            blocks.push(Block::Para {
                inline,
                loc,
                in_quote,
            });
        }
    }
}

/// Tokenises a page. `text` must be the whole page; text that is not a contiguous piece of
/// it (entities decoded, soft breaks joined) is built in `bump`.
pub(crate) fn scan<'a>(text: &'a str, lines: &LineIndex<'_>, bump: &'a Bump) -> Vec<Block<'a>> {
    let parser = Parser::new_ext(text, options()).into_offset_iter();
    let mut blocks = Vec::with_capacity(64);
    // the inline content being read (its text is `buf` until it is taken)
    let mut cur: Option<Inline<'a>> = None;
    let mut buf = TextBuf::default();
    let mut cur_loc = Loc::default();
    // (length of the text before the link, destination)
    let mut link_stack: Vec<(usize, &'a str)> = Vec::new();
    // code block
    let mut code: Option<(&'a str, TextBuf<'a>, Loc, usize)> = None;
    let mut html: Option<(TextBuf<'a>, Loc)> = None;
    let mut heading: Option<u8> = None;
    let mut quote_depth = 0u32;
    // table
    // cells and rows live in the arena
    let mut table: Option<TableBuild<'a>> = None;
    let mut row: BVec<'a, Cell<'a>> = BVec::new_in(bump);
    let mut in_head = false;
    let mut cell_at = 0;
    let mut in_meta = false;

    for (ev, range) in parser {
        if in_meta {
            if let Event::End(TagEnd::MetadataBlock(_)) = ev {
                in_meta = false;
            }
            continue;
        }
        if let Some((_, body, _, _)) = code.as_mut() {
            match ev {
                Event::Text(t) => push_piece(text, bump, body, t),
                Event::End(TagEnd::CodeBlock) => {
                    if let Some((info, body, loc, start)) = code.take() {
                        // the first content line is the line after the fence (fenced) or the
                        // block's own first line (indented)
                        let first = loc.line
                            + u32::from(!info.is_empty() || is_fence(text_at(lines, start)));
                        blocks.push(Block::Code {
                            info,
                            text: body.into_str(),
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
            Event::Start(tag) => {
                match &tag {
                    Tag::MetadataBlock(_) => in_meta = true,
                    Tag::Paragraph | Tag::Item => {
                        flush(&mut cur, &mut buf, &mut blocks, cur_loc, quote_depth > 0);
                        cur_loc = lines.loc(range.start);
                    }
                    Tag::List(_) => {
                        flush(&mut cur, &mut buf, &mut blocks, cur_loc, quote_depth > 0)
                    }
                    Tag::BlockQuote(_) => {
                        flush(&mut cur, &mut buf, &mut blocks, cur_loc, quote_depth > 0);
                        quote_depth += 1;
                    }
                    Tag::Heading { level, .. } => {
                        flush(&mut cur, &mut buf, &mut blocks, cur_loc, quote_depth > 0);
                        heading = Some(*level as u8);
                        cur_loc = lines.loc(range.start);
                        cur = Some(Inline::new(range.start, bump));
                        buf = TextBuf::default();
                    }
                    Tag::CodeBlock(kind) => {
                        flush(&mut cur, &mut buf, &mut blocks, cur_loc, quote_depth > 0);
                        let info = match kind {
                            CodeBlockKind::Fenced(i) => {
                                let trimmed = i.trim();
                                if trimmed.is_empty() {
                                    // keep "fenced" distinguishable from indented
                                    " "
                                } else {
                                    bump_str(bump, i).trim()
                                }
                            }
                            CodeBlockKind::Indented => "",
                        };
                        code = Some((
                            info,
                            TextBuf::default(),
                            lines.loc(range.start),
                            range.start,
                        ));
                    }
                    Tag::HtmlBlock => {
                        flush(&mut cur, &mut buf, &mut blocks, cur_loc, quote_depth > 0);
                        html = Some((TextBuf::default(), lines.loc(range.start)));
                    }
                    Tag::Table(_) => {
                        flush(&mut cur, &mut buf, &mut blocks, cur_loc, quote_depth > 0);
                        table = Some((&[], BVec::new_in(bump), lines.loc(range.start)));
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
                        cell_at = range.start + ws;
                        cur_loc = if row.is_empty() {
                            lines.loc(cell_at)
                        } else {
                            Loc::default()
                        };
                        cur = Some(Inline::new(range.start, bump));
                        buf = TextBuf::default();
                    }
                    Tag::Link { dest_url, .. } | Tag::Image { dest_url, .. } => {
                        if cur.is_none() {
                            cur_loc = lines.loc(range.start);
                            cur = Some(Inline::new(range.start, bump));
                        }
                        link_stack.push((buf.as_str().len(), bump_str(bump, dest_url)));
                    }
                    _ => {}
                }
                drop_tag(tag);
            }
            Event::End(tag) => {
                // (an end tag holds no data: forgetting the event skips the call to its drop glue)
                std::mem::forget(ev);
                match tag {
                    TagEnd::Paragraph | TagEnd::Item | TagEnd::List(_) => {
                        if let Some(i) = &mut cur {
                            i.end = range.end;
                        }
                        flush(&mut cur, &mut buf, &mut blocks, cur_loc, quote_depth > 0)
                    }
                    TagEnd::BlockQuote(_) => {
                        flush(&mut cur, &mut buf, &mut blocks, cur_loc, quote_depth > 0);
                        quote_depth = quote_depth.saturating_sub(1);
                    }
                    TagEnd::Heading(_) => {
                        let level = heading.take();
                        if let (Some(level), Some(mut inline)) =
                            (level, take_inline(&mut cur, &mut buf))
                        {
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
                            blocks.push(Block::Html {
                                text: text.into_str(),
                                loc,
                            });
                        }
                    }
                    TagEnd::TableCell => {
                        if let Some(mut inline) = take_inline(&mut cur, &mut buf) {
                            inline.end = range.end;
                            row.push(Cell {
                                inline,
                                at: cell_at,
                                scanned: cur_loc,
                            });
                        }
                    }
                    TagEnd::TableHead => {
                        in_head = false;
                        if let Some(t) = table.as_mut() {
                            let width = row.len();
                            t.0 = std::mem::replace(&mut row, BVec::with_capacity_in(width, bump))
                                .into_bump_slice();
                        }
                    }
                    TagEnd::TableRow => {
                        if let Some(t) = table.as_mut() {
                            // rows have the header's width: allocate each row once
                            let width = row.len().max(t.0.len());
                            let done =
                                std::mem::replace(&mut row, BVec::with_capacity_in(width, bump))
                                    .into_bump_slice();
                            if in_head {
                                t.0 = done;
                            } else {
                                t.1.push(done);
                            }
                        }
                    }
                    TagEnd::Table => {
                        if let Some((header, rows, loc)) = table.take() {
                            let rows = rows.into_bump_slice();
                            blocks.push(Block::Table { header, rows, loc });
                        }
                    }
                    TagEnd::Link | TagEnd::Image => {
                        if let (Some((start, dest)), Some(i)) = (link_stack.pop(), &mut cur) {
                            let text = match &buf.built {
                                None => buf.borrowed.get(start..).unwrap_or("").trim(),
                                Some(o) => bump.alloc_str(o.get(start..).unwrap_or("").trim()),
                            };
                            i.links.push(Link { text, dest });
                        }
                    }
                    _ => {}
                }
            }
            Event::Text(t) => {
                if let Some((h, _)) = html.as_mut() {
                    push_piece(text, bump, h, t);
                    continue;
                }
                open_inline(&mut cur, &mut cur_loc, lines, range.start, bump);
                push_piece(text, bump, &mut buf, t);
            }
            Event::Code(t) => {
                open_inline(&mut cur, &mut cur_loc, lines, range.start, bump);
                // the code span's content is not adjacent to the text before it (backticks)
                match t {
                    CowStr::Borrowed(b) if buf.as_str().is_empty() => buf = TextBuf::borrowed(b),
                    t => buf.to_mut(bump).push_str(&t),
                }
            }
            Event::Html(t) => {
                if let Some((h, _)) = html.as_mut() {
                    push_piece(text, bump, h, t);
                } else {
                    blocks.push(Block::Html {
                        text: bump_str(bump, &t),
                        loc: lines.loc(range.start),
                    });
                }
            }
            Event::InlineHtml(t) => {
                let lower = t.trim_start().as_bytes();
                if starts_with_ci(lower, b"<br") {
                    open_inline(&mut cur, &mut cur_loc, lines, range.start, bump);
                    buf.to_mut(bump).push('\n');
                } else if lower.starts_with(b"<!--") {
                    // an annotation comment inside a paragraph: keep it as its own block
                    blocks.push(Block::Html {
                        text: bump_str(bump, &t),
                        loc: lines.loc(range.start),
                    });
                }
            }
            Event::SoftBreak if cur.is_some() => buf.to_mut(bump).push(' '),
            Event::HardBreak if cur.is_some() => buf.to_mut(bump).push('\n'),
            _ => {}
        }
    }
    flush(&mut cur, &mut buf, &mut blocks, cur_loc, quote_depth > 0);
    if let Some((info, text, loc, _)) = code.take() {
        blocks.push(Block::Code {
            info,
            text: text.into_str(),
            loc,
            body_line: loc.line + 1,
        });
    }
    blocks
}

/// A pulldown-cmark string for the arena's lifetime (borrowed ones stay borrowed).
#[inline]
fn bump_str<'a>(bump: &'a Bump, s: &CowStr<'a>) -> &'a str {
    match s {
        CowStr::Borrowed(b) => b,
        other => bump.alloc_str(other),
    }
}

/// Drops a tag. Most kinds hold no data: those are forgotten, which skips the call to the
/// drop glue of `Tag` (made for every tag otherwise).
#[inline(always)]
fn drop_tag(tag: Tag<'_>) {
    match tag {
        Tag::Paragraph
        | Tag::Item
        | Tag::List(_)
        | Tag::BlockQuote(_)
        | Tag::HtmlBlock
        | Tag::TableHead
        | Tag::TableRow
        | Tag::TableCell
        | Tag::Emphasis
        | Tag::Strong
        | Tag::Strikethrough => std::mem::forget(tag),
        tag => drop(tag),
    }
}

fn starts_with_ci(s: &[u8], prefix: &[u8]) -> bool {
    s.len() >= prefix.len() && s[..prefix.len()].eq_ignore_ascii_case(prefix)
}

fn text_at<'a>(lines: &LineIndex<'a>, off: usize) -> &'a str {
    lines.text.get(off..).unwrap_or("")
}

fn is_fence(s: &str) -> bool {
    let t = s.trim_start();
    t.starts_with("```") || t.starts_with("~~~")
}

/// Starts inline content at `start` unless some is being read.
fn open_inline<'a>(
    cur: &mut Option<Inline<'a>>,
    cur_loc: &mut Loc,
    lines: &LineIndex<'_>,
    start: usize,
    bump: &'a Bump,
) {
    if cur.is_none() {
        *cur_loc = lines.loc(start);
        *cur = Some(Inline::new(start, bump));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The location of `off` counted from the start of the text, the obvious way.
    fn naive(text: &str, off: usize) -> Loc {
        let off = off.min(text.len());
        let before = &text.as_bytes()[..off];
        let line = before.iter().filter(|&&b| b == b'\n').count();
        let start = before
            .iter()
            .rposition(|&b| b == b'\n')
            .map_or(0, |i| i + 1);
        let col = String::from_utf8_lossy(&before[start..]).chars().count();
        Loc {
            line: line as u32 + 1,
            col: col as u32 + 1,
        }
    }

    #[test]
    fn count_newlines_matches_a_plain_count_at_every_length() {
        // past the 255-byte blocks and the vector widths, newlines in every position
        let text: Vec<u8> = (0..1100u32)
            .map(|i| {
                if i % 7 == 0 || i % 13 == 5 {
                    b'\n'
                } else {
                    b'a'
                }
            })
            .collect();
        let all_newlines = vec![b'\n'; 600];
        for bytes in [&text[..], &all_newlines[..]] {
            for start in 0..40 {
                for end in start..bytes.len() {
                    let s = &bytes[start..end];
                    let plain = s.iter().filter(|&&b| b == b'\n').count();
                    assert_eq!(count_newlines(s), plain, "{start}..{end}");
                }
            }
        }
    }

    #[test]
    fn line_index_matches_counting_from_the_start_in_any_order() {
        let texts = [
            "",
            "one line",
            "a\nbb\n\nccc\n",
            "crlf\r\nline two\r\n\r\nend",
            "ünïcödé | cells | ü\n| --- | --- |\n| é | 日本語 |\n",
            "a very long line without any newline at all, longer than eight bytes......\nx",
            "\n\n\n\n\n\n\n\n\n\n\n\n\n\n\n\n\n\n\nlast",
        ];
        for text in texts {
            let idx = LineIndex::new(text);
            let n = text.len() + 3; // past the end is clamped
                                    // forward, backward, and a scrambled order (cursor moves both ways and jumps lines)
            let mut order: Vec<usize> = (0..n).collect();
            order.extend((0..n).rev());
            order.extend((0..n).map(|i| (i * 7919) % n));
            // (offsets inside a character included: the column counts the lossy prefix)
            for off in order {
                assert_eq!(idx.loc(off), naive(text, off), "{text:?} @ {off}");
            }
        }
    }
}
