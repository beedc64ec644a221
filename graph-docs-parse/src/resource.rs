//! Resource pages (properties, relationships, JSON representation) and enum tables.

use crate::examples;
use crate::lenient_json;
use crate::markdown::{Block, Cell};
use crate::model::{EnumDef, JsonBlock, Loc, PageMeta, ResourcePage, Severity};
use crate::sections::{SectionKind, Sections};
use crate::{codes, tables, Ctx};

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

fn is_enum_table(hs: &[tables::Lower]) -> bool {
    let first = hs.first().map(|h| &**h).unwrap_or("");
    matches!(
        first,
        "member" | "members" | "value" | "name" | "enum value" | "enum member" | "values"
    ) && tables::type_col(hs).is_none()
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
    let mut last_heading: Option<&str> = None;
    for (i, b) in blocks.iter().enumerate() {
        match b {
            Block::Heading { inline, .. } if !crate::is_noise_heading(inline) => {
                last_heading = Some(inline.text.trim())
            }
            Block::Table { header, rows, loc } => {
                let hs: Vec<tables::Lower> = header.iter().map(tables::norm_header).collect();
                if !is_enum_table(&hs) {
                    continue;
                }
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
            _ => {}
        }
    }
    out
}

/// Whether a table is a properties / relationships table (name column + type column).
pub(crate) fn is_property_table(header: &[Cell]) -> bool {
    header.first().map(tables::norm_header).is_some_and(|h| {
        tables::is_name_header(&h)
            && h != "member"
            && h != "members"
            && h != "header"
            && h != "headers"
    }) && header
        .iter()
        .any(|c| tables::is_type_header(&tables::norm_header(c)))
}

/// Builds a resource page.
pub(crate) fn read(
    cx: &mut Ctx<'_>,
    meta: PageMeta,
    blocks: &[Block],
    secs: &Sections,
) -> ResourcePage {
    let stem = cx.stem();
    let mut page = ResourcePage {
        meta,
        ..Default::default()
    };
    let mut pending: Option<examples::RawAnnotation> = None;
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
                        && tables::norm_header(&header[1]).contains("type")) =>
            {
                let first = tables::norm_header(&header[0]);
                let kind = secs.kind_at(i);
                let props = tables::properties(cx, header, rows);
                if kind == Some(SectionKind::Relationships)
                    || first.starts_with("relationship")
                    || first == "navigation property"
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
                let ann = pending.take().map(|r| r.to_map());
                let is_resource_ann = ann
                    .as_ref()
                    .and_then(|a| a.get("blockType"))
                    .and_then(|v| v.as_str())
                    .is_some_and(|s| s.eq_ignore_ascii_case("resource"));
                let in_json_section = secs.kind_at(i) == Some(SectionKind::Json);
                if let Some(a) = &ann {
                    if is_resource_ann {
                        if page.odata_type.is_none() {
                            page.odata_type = a
                                .get("@odata.type")
                                .or_else(|| a.get("@type"))
                                .and_then(|v| v.as_str())
                                .map(|s| s.trim_start_matches('#').to_string());
                        }
                        if page.base_type.is_none() {
                            page.base_type = a
                                .get("baseType")
                                .and_then(|v| v.as_str())
                                .map(|s| short_type(s).to_string());
                        }
                        if a.get("openType").and_then(|v| v.as_bool()) == Some(true) {
                            page.open_type = true;
                        }
                        if page.key_property.is_none() {
                            page.key_property = a
                                .get("keyProperty")
                                .and_then(|v| v.as_str())
                                .map(str::to_string);
                        }
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
                    let l = inline.text.trim().to_ascii_lowercase();
                    if l == "none"
                        || l.starts_with("none.")
                        || l.contains("no properties")
                        || l.contains("open type")
                        || l.contains("inherits all the properties")
                    {
                        page.documented_empty = true;
                    }
                }
                // (the base type is the link after the phrase: no link, nothing to find)
                if page.base_type.is_none() && !inline.links.is_empty() {
                    let l = inline.text.to_ascii_lowercase();
                    for k in ["derived from", "inherits from", "derives from"] {
                        if let Some(p) = l.find(k) {
                            // the first link after the phrase
                            let after = &inline.text[p + k.len()..];
                            if let Some(link) = inline
                                .links
                                .iter()
                                .find(|lk| !lk.text.is_empty() && after.contains(lk.text))
                            {
                                page.base_type = name_from_title(link.text).or_else(|| {
                                    Some(crate::types::link_stem(link.dest).to_string())
                                });
                            }
                            break;
                        }
                    }
                }
            }
        }
    }
    page.name = page
        .odata_type
        .as_deref()
        .map(|t| t.rsplit('.').next().unwrap_or(t).to_string())
        .filter(|n| !n.is_empty())
        .or_else(|| page.meta.h1.as_deref().and_then(name_from_title))
        .or_else(|| page.meta.title.as_deref().and_then(name_from_title))
        .unwrap_or(stem);
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
    let h1 = page.meta.h1.clone();
    page.enums = enums(blocks, secs, h1.as_deref(), &page.name, false)
        .into_iter()
        .map(std::sync::Arc::new)
        .collect();
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
