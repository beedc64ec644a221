//! Resource pages (properties, relationships, JSON representation) and enum tables.

use std::borrow::Cow;

use crate::examples;
use crate::frontmatter::trim;
use crate::lenient_json;
use crate::markdown::{Block, Cell};
use crate::model::{EnumDef, JsonBlock, Loc, PageMeta, ResourcePage, Severity};
use crate::sections::{SectionKind, Sections};
use crate::{codes, contains_ci, find_str, starts_with_ci, tables, Ctx, Needles};

/// Strips `microsoft.graph.` (any case) and a leading `#`.
pub(crate) fn short_type(s: &str) -> &str {
    let s = s.trim().trim_start_matches('#');
    crate::types::strip_prefix_ci(s, "microsoft.graph.").unwrap_or(s)
}

/// A type name from a title: `driveItem resource type` → `driveItem`.
pub(crate) fn name_from_title(t: &str) -> Option<String> {
    let mut t = t.trim().trim_matches('`').trim();
    let lower = t.to_ascii_lowercase();
    for suffix in [
        " resource type",
        " complex type",
        " entity type",
        " enumeration type",
        " enum type",
        " enumeration",
        " enum",
        " values",
        " members",
        " resource",
        " object",
        " entity",
        " type",
    ] {
        if lower.ends_with(suffix) {
            t = &t[..t.len() - suffix.len()];
            break;
        }
    }
    let t = t.trim().trim_matches(|c: char| c == '`' || c == '*').trim();
    let t = short_type(t);
    if !t.is_empty()
        && t.chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '.')
        && t.chars().next().is_some_and(|c| c.is_ascii_alphabetic())
    {
        Some(t.to_string())
    } else {
        None
    }
}

/// A header cell as [`tables::norm_header`] reads it, before lower-casing: the cell's text
/// with markup (`*`, `_`, `` ` ``, `:`) and then whitespace trimmed off both ends (the markup
/// characters are ASCII: trimmed byte by byte).
fn header_text<'c>(c: &'c Cell) -> &'c str {
    norm_trim(&c.inline.text)
}

/// `s.trim().trim_matches(markup).trim()` (see [`header_text`]).
fn norm_trim(s: &str) -> &str {
    let t = trim(s);
    let b = t.as_bytes();
    let is_mark = |x: u8| matches!(x, b'*' | b'_' | b'`' | b':');
    let (mut i, mut j) = (0, b.len());
    while i < j && is_mark(b[i]) {
        i += 1;
    }
    while j > i && is_mark(b[j - 1]) {
        j -= 1;
    }
    trim(&t[i..j])
}

/// [`tables::is_type_header`] of a header cell (ASCII case ignored: no lower-cased copy).
fn is_type_cell(c: &Cell) -> bool {
    is_type_text(header_text(c))
}

/// [`tables::is_type_header`] of a header's text before lower-casing.
fn is_type_text(h: &str) -> bool {
    h.len() <= 10
        && ["type", "data type", "value type", "types"]
            .iter()
            .any(|t| h.eq_ignore_ascii_case(t))
}

fn is_enum_table(header: &[Cell]) -> bool {
    // (the first header, then the type column: no list of normalised headers)
    let first = header.first().map(tables::norm_header);
    matches!(
        first.as_deref().unwrap_or(""),
        "member" | "members" | "value" | "name" | "enum value" | "enum member" | "values"
    ) && !header.iter().any(is_type_cell)
}

/// Enum definitions found in tables of the page.
pub(crate) fn enums(
    blocks: &[Block],
    secs: &Sections,
    h1: Option<&str>,
    stem: &str,
    enum_page: bool,
) -> Vec<EnumDef> {
    let mut out: Vec<EnumDef> = Vec::new();
    // the last heading (not noise) before block `heading.0`: looked for only when a member
    // table needs it, from where the previous search stopped
    let mut heading: (usize, Option<&str>) = (0, None);
    for (i, b) in blocks.iter().enumerate() {
        let Block::Table { header, rows, loc } = b else {
            continue;
        };
        if !is_enum_table(header) {
            continue;
        }
        let found = blocks[heading.0..i].iter().rev().find_map(|b| match b {
            Block::Heading { inline, .. } if !crate::is_noise_heading(inline) => {
                Some(inline.text.trim())
            }
            _ => None,
        });
        heading = (i, found.or(heading.1));
        let last_heading = heading.1;
        let in_enum_section = secs.kind_at(i) == Some(SectionKind::Enum);
        let heading_says_enum = last_heading.is_some_and(|h| {
            let l = h.to_ascii_lowercase();
            l.ends_with("values") || l.contains("enum") || l.ends_with("members")
        });
        if !(enum_page || in_enum_section || heading_says_enum) {
            continue;
        }
        let name = last_heading
            .and_then(name_from_title)
            .filter(|n| {
                !matches!(
                    n.to_ascii_lowercase().as_str(),
                    "members" | "values" | "enum" | "member" | "properties"
                )
            })
            .or_else(|| h1.and_then(name_from_title))
            .unwrap_or_else(|| stem.to_string());
        let members = tables::enum_members(header, rows);
        if members.is_empty() {
            continue;
        }
        if let Some(e) = out.iter_mut().find(|e| e.name.eq_ignore_ascii_case(&name)) {
            for m in members {
                if !e.members.iter().any(|x| x.name == m.name) {
                    e.members.push(m);
                }
            }
        } else {
            out.push(EnumDef {
                name,
                members,
                loc: *loc,
            });
        }
    }
    out
}

/// Whether a table is a properties / relationships table (name column + type column).
pub(crate) fn is_property_table(header: &[Cell]) -> bool {
    let Some(first) = header.first() else {
        return false;
    };
    let h = header_text(first);
    // (no name header is longer: nothing to lower-case)
    if h.len() > 24 {
        return false;
    }
    let h = tables::Lower::new(h);
    tables::is_name_header(&h)
        && h != "member"
        && h != "members"
        && h != "header"
        && h != "headers"
        && header.iter().any(is_type_cell)
}

/// A value of an annotation key, as far as the resource reader looks at it.
#[derive(Default)]
enum AnnValue<'b> {
    /// The key is absent.
    #[default]
    Absent,
    Str(std::borrow::Cow<'b, str>),
    Bool(bool),
    /// Any other value (`null` included).
    Other,
}

impl<'de: 'b, 'b> serde::Deserialize<'de> for AnnValue<'b> {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V<'b>(std::marker::PhantomData<&'b str>);
        impl<'de: 'b, 'b> serde::de::Visitor<'de> for V<'b> {
            type Value = AnnValue<'b>;
            fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str("any JSON value")
            }
            fn visit_borrowed_str<E>(self, v: &'de str) -> Result<AnnValue<'b>, E> {
                Ok(AnnValue::Str(v.into()))
            }
            fn visit_str<E>(self, v: &str) -> Result<AnnValue<'b>, E> {
                Ok(AnnValue::Str(v.to_string().into()))
            }
            fn visit_bool<E>(self, v: bool) -> Result<AnnValue<'b>, E> {
                Ok(AnnValue::Bool(v))
            }
            fn visit_i64<E>(self, _: i64) -> Result<AnnValue<'b>, E> {
                Ok(AnnValue::Other)
            }
            fn visit_u64<E>(self, _: u64) -> Result<AnnValue<'b>, E> {
                Ok(AnnValue::Other)
            }
            fn visit_f64<E>(self, _: f64) -> Result<AnnValue<'b>, E> {
                Ok(AnnValue::Other)
            }
            fn visit_unit<E>(self) -> Result<AnnValue<'b>, E> {
                Ok(AnnValue::Other)
            }
            fn visit_none<E>(self) -> Result<AnnValue<'b>, E> {
                Ok(AnnValue::Other)
            }
            fn visit_seq<A: serde::de::SeqAccess<'de>>(
                self,
                mut a: A,
            ) -> Result<AnnValue<'b>, A::Error> {
                while a.next_element::<serde::de::IgnoredAny>()?.is_some() {}
                Ok(AnnValue::Other)
            }
            fn visit_map<A: serde::de::MapAccess<'de>>(
                self,
                mut a: A,
            ) -> Result<AnnValue<'b>, A::Error> {
                while a
                    .next_entry::<serde::de::IgnoredAny, serde::de::IgnoredAny>()?
                    .is_some()
                {}
                Ok(AnnValue::Other)
            }
        }
        d.deserialize_any(V(std::marker::PhantomData))
    }
}

/// The keys of a `"blockType": "resource"` annotation the page reads, without building the
/// annotation's map.
#[derive(serde::Deserialize)]
struct AnnKeys<'b> {
    #[serde(rename = "blockType", borrow, default)]
    block_type: AnnValue<'b>,
    #[serde(rename = "@odata.type", borrow, default)]
    odata_type: AnnValue<'b>,
    #[serde(rename = "@type", borrow, default)]
    at_type: AnnValue<'b>,
    #[serde(rename = "baseType", borrow, default)]
    base_type: AnnValue<'b>,
    #[serde(rename = "openType", borrow, default)]
    open_type: AnnValue<'b>,
    #[serde(rename = "keyProperty", borrow, default)]
    key_property: AnnValue<'b>,
}

/// The keys of an annotation the resource reader keeps while checking it (see
/// [`ResourceAnn`]).
#[derive(Default)]
pub(crate) struct ResourceHead<'b> {
    block_type: Option<Cow<'b, str>>,
    /// `@odata.type`: `None` when the key is absent, `Some(None)` when its value is no string.
    odata_type: Option<Option<Cow<'b, str>>>,
    at_type: Option<Cow<'b, str>>,
    base_type: Option<Cow<'b, str>>,
    open_type: Option<bool>,
    key_property: Option<Cow<'b, str>>,
}

impl<'b> examples::HeadKeys<'b> for ResourceHead<'b> {
    fn key(k: &str) -> Option<u8> {
        Some(match k {
            "blockType" => 0,
            "@odata.type" => 1,
            "@type" => 2,
            "baseType" => 3,
            "openType" => 4,
            "keyProperty" => 5,
            _ => return None,
        })
    }
    fn value<'de: 'b, A: serde::de::MapAccess<'de>>(
        &mut self,
        i: u8,
        a: &mut A,
    ) -> Result<(), A::Error> {
        if i == 4 {
            self.open_type = a.next_value::<examples::MaybeBool>()?.0;
            return Ok(());
        }
        let v = a.next_value::<examples::MaybeStr>()?.0;
        match i {
            0 => self.block_type = v,
            1 => self.odata_type = Some(v),
            2 => self.at_type = v,
            3 => self.base_type = v,
            _ => self.key_property = v,
        }
        Ok(())
    }
}

/// What the resource reader takes from an annotation: the string (or boolean) values of its
/// keys, read the way lookups in its map (`get(..).and_then(as_str)`) read them.
struct ResourceAnn<'b> {
    block_type: Option<std::borrow::Cow<'b, str>>,
    /// `@odata.type`, else `@type` (when `@odata.type` is absent).
    odata_type: Option<std::borrow::Cow<'b, str>>,
    base_type: Option<std::borrow::Cow<'b, str>>,
    open_type: Option<bool>,
    key_property: Option<std::borrow::Cow<'b, str>>,
}

impl<'b> ResourceAnn<'b> {
    fn read(raw: &'b examples::RawAnnotation<'_, ResourceHead<'_>>) -> ResourceAnn<'b> {
        fn s(v: AnnValue<'_>) -> Option<std::borrow::Cow<'_, str>> {
            match v {
                AnnValue::Str(s) => Some(s),
                _ => None,
            }
        }
        // (strict JSON: the keys were read while checking it)
        if let Some(h) = raw.strict_head() {
            let b = |v: &'b Option<Cow<'_, str>>| v.as_deref().map(Cow::Borrowed);
            return ResourceAnn {
                block_type: b(&h.block_type),
                odata_type: match &h.odata_type {
                    Some(v) => b(v),
                    None => b(&h.at_type),
                },
                base_type: b(&h.base_type),
                open_type: h.open_type,
                key_property: b(&h.key_property),
            };
        }
        match serde_json::from_str::<AnnKeys>(raw.json()) {
            Ok(k) => ResourceAnn {
                block_type: s(k.block_type),
                odata_type: match k.odata_type {
                    AnnValue::Absent => s(k.at_type),
                    v => s(v),
                },
                base_type: s(k.base_type),
                open_type: match k.open_type {
                    AnnValue::Bool(b) => Some(b),
                    _ => None,
                },
                key_property: s(k.key_property),
            },
            // (a repeated key: read the map, where the last one wins)
            Err(_) => {
                let a = raw.to_map();
                let s = |k: &str| {
                    a.get(k)
                        .and_then(|v| v.as_str())
                        .map(|v| std::borrow::Cow::Owned(v.to_string()))
                };
                ResourceAnn {
                    block_type: s("blockType"),
                    odata_type: a
                        .get("@odata.type")
                        .or_else(|| a.get("@type"))
                        .and_then(|v| v.as_str())
                        .map(|v| std::borrow::Cow::Owned(v.to_string())),
                    base_type: s("baseType"),
                    open_type: a.get("openType").and_then(|v| v.as_bool()),
                    key_property: s("keyProperty"),
                }
            }
        }
    }
}

/// Builds a resource page.
pub(crate) fn read(
    cx: &mut Ctx<'_>,
    meta: PageMeta,
    blocks: &[Block],
    secs: &Sections,
) -> ResourcePage {
    let mut page = ResourcePage {
        meta,
        ..Default::default()
    };
    let mut pending: Option<examples::RawAnnotation<ResourceHead>> = None;
    for (i, b) in blocks.iter().enumerate() {
        match b {
            Block::Table { header, rows, .. }
                if rows.is_empty()
                    && (is_property_table(header)
                        || secs.kind_at(i) == Some(SectionKind::Properties)) =>
            {
                page.documented_empty = true;
            }
            Block::Table { header, rows, .. }
                if is_property_table(header)
                    || (secs.kind_at(i) == Some(SectionKind::Properties)
                        && header.len() >= 2
                        && contains_ci(header_text(&header[1]), "type")) =>
            {
                let first = header_text(&header[0]);
                let kind = secs.kind_at(i);
                let props = tables::properties(cx, header, rows);
                if kind == Some(SectionKind::Relationships)
                    || starts_with_ci(first, "relationship")
                    || first.eq_ignore_ascii_case("navigation property")
                {
                    page.relationships.extend(props);
                } else {
                    page.properties.extend(props);
                }
            }
            Block::Html { text, loc } => {
                if let Some(a) = examples::raw_annotation(cx, text, *loc) {
                    pending = Some(a);
                }
            }
            Block::Code {
                info,
                text,
                loc,
                body_line,
            } => {
                let raw = pending.take();
                let ann = raw.as_ref().map(ResourceAnn::read);
                let is_resource_ann = ann
                    .as_ref()
                    .and_then(|a| a.block_type.as_deref())
                    .is_some_and(|s| s.eq_ignore_ascii_case("resource"));
                let in_json_section = secs.kind_at(i) == Some(SectionKind::Json);
                if let Some(a) = ann.filter(|_| is_resource_ann) {
                    if page.odata_type.is_none() {
                        page.odata_type =
                            a.odata_type.map(|s| s.trim_start_matches('#').to_string());
                    }
                    if page.base_type.is_none() {
                        page.base_type = a.base_type.map(|s| short_type(&s).to_string());
                    }
                    if a.open_type == Some(true) {
                        page.open_type = true;
                    }
                    if page.key_property.is_none() {
                        page.key_property = a.key_property.map(String::from);
                    }
                }
                if (is_resource_ann || in_json_section)
                    && page.json_representation.is_none()
                    && (examples::is_json_text(text) || info.contains("json"))
                {
                    let json = match lenient_json::Json::new(text) {
                        Ok(j) => Some(j),
                        Err(e) => {
                            cx.diag(
                                Loc::line(*body_line),
                                Severity::Warning,
                                codes::BAD_JSON,
                                format!(
                                    "the JSON representation does not parse, even leniently: {e}"
                                ),
                            );
                            None
                        }
                    };
                    page.json_representation = Some(JsonBlock {
                        text: text.to_string(),
                        json,
                        loc: *loc,
                        body_line: *body_line,
                    });
                }
            }
            Block::Heading { .. } | Block::Table { .. } => pending = None,
            Block::Para { inline, .. } => {
                if matches!(
                    secs.kind_at(i),
                    Some(SectionKind::Properties) | Some(SectionKind::Relationships)
                ) {
                    let l = trim(&inline.text);
                    const EMPTY: Needles<3> =
                        Needles::new(["no properties", "open type", "inherits all the properties"]);
                    if l.eq_ignore_ascii_case("none")
                        || starts_with_ci(l, "none.")
                        || EMPTY.any_in(l)
                    {
                        page.documented_empty = true;
                    }
                }
                // (the base type is the link after the phrase: no link, nothing to find)
                if page.base_type.is_none() && !inline.links.is_empty() {
                    // (the first phrase of the list found: one pass for the three)
                    const BASE: [&str; 3] = ["derived from", "inherits from", "derives from"];
                    const PHRASES: Needles<3> = Needles::new(BASE);
                    let at = PHRASES.find(&inline.text, |m| m & 1 != 0);
                    if let Some((k, p)) = BASE.iter().zip(at).find_map(|(k, p)| Some((k, p?))) {
                        // the first link after the phrase
                        let after = &inline.text[p + k.len()..];
                        if let Some(link) = inline
                            .links
                            .iter()
                            .find(|lk| !lk.text.is_empty() && find_str(after, lk.text).is_some())
                        {
                            page.base_type = name_from_title(link.text)
                                .or_else(|| Some(crate::types::link_stem(link.dest).to_string()));
                        }
                    }
                }
            }
        }
    }
    page.name = page
        .odata_type
        .as_deref()
        .map(|t| {
            // (`t.rsplit('.').next()`)
            memchr::memrchr(b'.', t.as_bytes())
                .map_or(t, |i| &t[i + 1..])
                .to_string()
        })
        .filter(|n| !n.is_empty())
        .or_else(|| page.meta.h1.as_deref().and_then(name_from_title))
        .or_else(|| page.meta.title.as_deref().and_then(name_from_title))
        .unwrap_or_else(|| cx.stem());
    if page.properties.is_empty() && page.relationships.is_empty() {
        if let Some(serde_json::Value::Object(m)) = page
            .json_representation
            .as_ref()
            .and_then(|j| j.json.as_ref())
            .map(|j| j.value())
        {
            if m.is_empty() {
                page.documented_empty = true;
            }
            let loc = page
                .json_representation
                .as_ref()
                .map(|j| j.loc)
                .unwrap_or_default();
            for (k, v) in m {
                if k == "@odata.type" {
                    continue;
                }
                page.properties.push(crate::model::Property {
                    name: k.clone(),
                    ty: type_of_json(v),
                    description: String::new(),
                    read_only: false,
                    nullable: None,
                    enum_values: Vec::new(),
                    loc,
                });
            }
            page.properties_from_json = !page.properties.is_empty();
        }
    }
    let enums = enums(blocks, secs, page.meta.h1.as_deref(), &page.name, false);
    page.enums = enums.into_iter().map(std::sync::Arc::new).collect();
    if page.properties.is_empty() && page.relationships.is_empty() && !page.documented_empty {
        cx.diag(
            cx.h1_loc,
            Severity::Warning,
            codes::NO_PROPERTIES,
            "resource page has no properties table (`Property | Type | Description`)".into(),
        );
    }
    page
}

/// The type of a JSON representation value: `"string"` → String, `{"@odata.type": "x"}` → x,
/// `[v]` → collection of v's type, numbers and booleans by kind.
pub(crate) fn type_of_json(v: &serde_json::Value) -> crate::model::TypeRef {
    use crate::model::{Primitive, TypeRef};
    match v {
        serde_json::Value::String(s) => {
            // "String", "Int32", "String (timestamp)", "Edm.Stream"; any other text is an
            // example value of a string property
            let first = s
                .split(|c: char| c.is_whitespace() || c == '(')
                .next()
                .unwrap_or("");
            let lower = s.to_ascii_lowercase();
            if lower.contains("timestamp") || lower.contains("datetime") {
                TypeRef::Primitive(Primitive::DateTimeOffset)
            } else {
                TypeRef::Primitive(crate::types::primitive(first).unwrap_or(Primitive::String))
            }
        }
        serde_json::Value::Bool(_) => TypeRef::Primitive(Primitive::Boolean),
        serde_json::Value::Number(n) => {
            if n.is_f64() {
                TypeRef::Primitive(Primitive::Double)
            } else if n
                .as_i64()
                .is_some_and(|i| i > i64::from(i32::MAX) || i < i64::from(i32::MIN))
            {
                TypeRef::Primitive(Primitive::Int64)
            } else {
                TypeRef::Primitive(Primitive::Int32)
            }
        }
        serde_json::Value::Array(a) => TypeRef::Collection(Box::new(
            a.first()
                .map(type_of_json)
                .unwrap_or(TypeRef::Primitive(Primitive::Json)),
        )),
        serde_json::Value::Object(o) => match o.get("@odata.type").and_then(|t| t.as_str()) {
            Some(t) => crate::types::parse_text(t).unwrap_or(TypeRef::Primitive(Primitive::Json)),
            None => TypeRef::Primitive(Primitive::Json),
        },
        serde_json::Value::Null => TypeRef::Primitive(Primitive::Json),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Header texts: markup, Unicode and ASCII whitespace, type and name headers.
    fn samples() -> Vec<String> {
        const PIECES: &[&str] = &[
            "",
            " ",
            "\t",
            "\u{b}",
            "\u{a0}",
            "\u{2003}",
            "*",
            "**",
            "_",
            "`",
            ":",
            "é",
            "Type",
            "type",
            "TYPES",
            "Data type",
            "value Type",
            "Property",
            "name",
            "x",
        ];
        let mut out = Vec::new();
        let mut rng = fastrand::Rng::with_seed(3);
        for _ in 0..20_000 {
            let n = rng.usize(0..6);
            out.push((0..n).map(|_| PIECES[rng.usize(..PIECES.len())]).collect());
        }
        out
    }

    #[test]
    fn header_texts_read_like_norm_header() {
        for s in samples() {
            let want = s
                .trim()
                .trim_matches(|c: char| c == '*' || c == '_' || c == '`' || c == ':')
                .trim();
            assert_eq!(norm_trim(&s), want, "{s:?}");
            assert_eq!(
                is_type_text(norm_trim(&s)),
                tables::is_type_header(&tables::Lower::new(want)),
                "{s:?}"
            );
        }
    }

    #[test]
    fn resource_annotations_read_like_their_map() {
        for json in [
            r#"{"blockType": "resource", "@odata.type": "microsoft.graph.user", "baseType": "microsoft.graph.entity", "openType": true, "keyProperty": "id"}"#,
            r#"{"blockType": "Resource", "@odata.type": null, "@type": "x"}"#,
            r##"{"blockType": "resource", "@type": "#x", "openType": "true"}"##,
            r#"{"blockType": "resource", "@odata.type": 5, "@type": "x", "keyProperty": ["id"]}"#,
            r#"{"blockType": "resource", "baseType": "a", "baseType": "b"}"#,
            r#"{"blockType": "resource", "baseType": {"x": 1}, "openType": false}"#,
            r#"{"block\u0054ype": "res\u006furce", "keyProperty": "i\"d"}"#,
            r#"{"optionalProperties": [1, {"a": [null]}], "blockType": null}"#,
            r#"{"@odata.type": "a", "@type": "t", "@odata.type": 5, "openType": true, "openType": "x"}"#,
            r#"{"@type": "t", "openType": false, "keyProperty": "a", "keyProperty": null}"#,
            r#"{"blockType": "resource", "@odata.type": "a", "@odata.type": "b", "openType": 1}"#,
            r#"{"blockType": "resource", "keyProperty": "a" // lenient
            }"#,
            r#"{}"#,
        ] {
            let raw = examples::raw_annotation_for_test(json);
            assert!(raw.json().starts_with('{'), "{json}");
            let a = ResourceAnn::read(&raw);
            let m = raw.to_map();
            let s = |k: &str| m.get(k).and_then(|v| v.as_str());
            assert_eq!(a.block_type.as_deref(), s("blockType"), "{json}");
            assert_eq!(
                a.odata_type.as_deref(),
                m.get("@odata.type")
                    .or_else(|| m.get("@type"))
                    .and_then(|v| v.as_str()),
                "{json}"
            );
            assert_eq!(a.base_type.as_deref(), s("baseType"), "{json}");
            assert_eq!(
                a.open_type,
                m.get("openType").and_then(|v| v.as_bool()),
                "{json}"
            );
            assert_eq!(a.key_property.as_deref(), s("keyProperty"), "{json}");
        }
    }
}
