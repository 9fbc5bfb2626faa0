//! Types, signatures and values as JSON, the way protocol 2 of the external
//! hosts carries them (`docs/host-protocol.md`, "Protocol 2").
//!
//! A value's JSON is decided by its type: 64-bit integers are decimal
//! strings (JavaScript's numbers lose precision past 2^53), NaN and the
//! infinities are the strings `nan`, `inf` and `-inf`, `option` is `null` or
//! `{"some": v}` so that nested options stay apart, and a `null` where a
//! `string` belongs is the next raw string of the frame.
//! `hosts/protocol-vectors.json` pins all of it for the three converters.

use std::sync::Arc;

use serde_json::{Map, Value as Json, json};

use crate::{Case, Field, Function, FunctionKey, Type, Value};

/// JSON that does not spell what its type says.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[error("{message}")]
pub struct WireError {
    /// What is wrong and where (a path into the value, like `.args[1].some`).
    pub message: String,
}

fn wire_error(path: &str, message: impl std::fmt::Display) -> WireError {
    WireError {
        message: if path.is_empty() {
            message.to_string()
        } else {
            format!("at `{path}`: {message}")
        },
    }
}

/// A type as JSON.
pub fn type_to_json(ty: &Type) -> Json {
    match ty {
        Type::Bool => json!("bool"),
        Type::S8 => json!("s8"),
        Type::S16 => json!("s16"),
        Type::S32 => json!("s32"),
        Type::S64 => json!("s64"),
        Type::U8 => json!("u8"),
        Type::U16 => json!("u16"),
        Type::U32 => json!("u32"),
        Type::U64 => json!("u64"),
        Type::F32 => json!("f32"),
        Type::F64 => json!("f64"),
        Type::Char => json!("char"),
        Type::String => json!("string"),
        Type::List(element) => json!({ "list": type_to_json(element) }),
        Type::Option(some) => json!({ "option": type_to_json(some) }),
        Type::Tuple(types) => {
            json!({ "tuple": types.iter().map(type_to_json).collect::<Vec<_>>() })
        }
        Type::Record(fields) => json!({
            "record": fields
                .iter()
                .map(|field| json!({ "name": field.name, "type": type_to_json(&field.ty) }))
                .collect::<Vec<_>>()
        }),
        Type::Variant(cases) => json!({
            "variant": cases
                .iter()
                .map(|case| json!({ "name": case.name, "type": case.ty.as_ref().map(type_to_json) }))
                .collect::<Vec<_>>()
        }),
        Type::Enum(cases) => json!({ "enum": cases.to_vec() }),
        Type::Flags(flags) => json!({ "flags": flags.to_vec() }),
        Type::Result { ok, err } => json!({
            "result": {
                "ok": ok.as_deref().map(type_to_json),
                "err": err.as_deref().map(type_to_json),
            }
        }),
        Type::Unsupported(what) => json!({ "unsupported": what.as_ref() }),
    }
}

/// The type that JSON spells.
///
/// # Errors
/// [`WireError`] naming the part that is not a type.
pub fn type_from_json(json: &Json) -> Result<Type, WireError> {
    type_at(json, "")
}

fn names(json: &Json, path: &str) -> Result<Arc<[String]>, WireError> {
    json.as_array()
        .ok_or_else(|| wire_error(path, "expected an array of names"))?
        .iter()
        .map(|name| {
            name.as_str()
                .map(str::to_owned)
                .ok_or_else(|| wire_error(path, format!("expected a name, got {name}")))
        })
        .collect::<Result<Vec<_>, _>>()
        .map(Into::into)
}

fn named_types(json: &Json, path: &str) -> Result<Vec<(String, Option<Type>)>, WireError> {
    json.as_array()
        .ok_or_else(|| wire_error(path, "expected an array of {name, type}"))?
        .iter()
        .enumerate()
        .map(|(index, item)| {
            let path = format!("{path}[{index}]");
            let name = item
                .get("name")
                .and_then(Json::as_str)
                .ok_or_else(|| wire_error(&path, "expected a `name`"))?;
            let ty = match item.get("type") {
                None | Some(Json::Null) => None,
                Some(ty) => Some(type_at(ty, &format!("{path}.type"))?),
            };
            Ok((name.to_owned(), ty))
        })
        .collect()
}

fn optional_type(json: Option<&Json>, path: &str) -> Result<Option<Arc<Type>>, WireError> {
    match json {
        None | Some(Json::Null) => Ok(None),
        Some(ty) => Ok(Some(Arc::new(type_at(ty, path)?))),
    }
}

fn type_at(json: &Json, path: &str) -> Result<Type, WireError> {
    if let Some(name) = json.as_str() {
        return Ok(match name {
            "bool" => Type::Bool,
            "s8" => Type::S8,
            "s16" => Type::S16,
            "s32" => Type::S32,
            "s64" => Type::S64,
            "u8" => Type::U8,
            "u16" => Type::U16,
            "u32" => Type::U32,
            "u64" => Type::U64,
            "f32" => Type::F32,
            "f64" => Type::F64,
            "char" => Type::Char,
            "string" => Type::String,
            other => return Err(wire_error(path, format!("unknown type `{other}`"))),
        });
    }
    let Some((kind, inner)) = json
        .as_object()
        .filter(|map| map.len() == 1)
        .and_then(|map| map.iter().next())
    else {
        return Err(wire_error(path, format!("expected a type, got {json}")));
    };
    let inner_path = format!("{path}.{kind}");
    Ok(match kind.as_str() {
        "list" => Type::List(Arc::new(type_at(inner, &inner_path)?)),
        "option" => Type::Option(Arc::new(type_at(inner, &inner_path)?)),
        "tuple" => Type::Tuple(
            inner
                .as_array()
                .ok_or_else(|| wire_error(&inner_path, "expected an array of types"))?
                .iter()
                .enumerate()
                .map(|(index, ty)| type_at(ty, &format!("{inner_path}[{index}]")))
                .collect::<Result<Vec<_>, _>>()?
                .into(),
        ),
        "record" => Type::Record(
            named_types(inner, &inner_path)?
                .into_iter()
                .map(|(name, ty)| {
                    let ty = ty.ok_or_else(|| {
                        wire_error(&inner_path, format!("field `{name}` has no type"))
                    })?;
                    Ok(Field { name, ty })
                })
                .collect::<Result<Vec<_>, WireError>>()?
                .into(),
        ),
        "variant" => Type::Variant(
            named_types(inner, &inner_path)?
                .into_iter()
                .map(|(name, ty)| Case { name, ty })
                .collect::<Vec<_>>()
                .into(),
        ),
        "enum" => Type::Enum(names(inner, &inner_path)?),
        "flags" => Type::Flags(names(inner, &inner_path)?),
        "result" => Type::Result {
            ok: optional_type(inner.get("ok"), &format!("{inner_path}.ok"))?,
            err: optional_type(inner.get("err"), &format!("{inner_path}.err"))?,
        },
        "unsupported" => Type::Unsupported(inner.as_str().unwrap_or("?").into()),
        other => return Err(wire_error(path, format!("unknown type kind `{other}`"))),
    })
}

/// A signature as JSON: `{"interface", "name", "params", "result"}`.
pub fn function_to_json(function: &Function) -> Json {
    json!({
        "interface": function.key.interface,
        "name": function.key.name,
        "params": function
            .params
            .iter()
            .map(|(name, ty)| json!({ "name": name, "type": type_to_json(ty) }))
            .collect::<Vec<_>>(),
        "result": function.result.as_ref().map(type_to_json),
    })
}

/// The signature that JSON spells.
///
/// # Errors
/// [`WireError`] naming what is missing or wrong.
pub fn function_from_json(json: &Json) -> Result<Function, WireError> {
    let name = json
        .get("name")
        .and_then(Json::as_str)
        .ok_or_else(|| wire_error("", format!("a function without a `name`: {json}")))?;
    let interface = json.get("interface").and_then(Json::as_str);
    let path = FunctionKey::new(interface, name).to_string();
    let params = named_types(
        json.get("params").unwrap_or(&Json::Null),
        &format!("{path}.params"),
    )?
    .into_iter()
    .map(|(name, ty)| {
        let ty = ty.ok_or_else(|| wire_error(&path, format!("parameter `{name}` has no type")))?;
        Ok((name, ty))
    })
    .collect::<Result<Vec<_>, WireError>>()?;
    let result = match json.get("result") {
        None | Some(Json::Null) => None,
        Some(ty) => Some(type_at(ty, &format!("{path}.result"))?),
    };
    Ok(Function {
        key: FunctionKey::new(interface, name),
        params,
        result,
    })
}

/// A value as JSON, with every string inline.
pub fn value_to_json(value: &Value) -> Json {
    match value {
        Value::Bool(value) => json!(value),
        Value::S8(value) => json!(value),
        Value::S16(value) => json!(value),
        Value::S32(value) => json!(value),
        Value::U8(value) => json!(value),
        Value::U16(value) => json!(value),
        Value::U32(value) => json!(value),
        Value::S64(value) => json!(value.to_string()),
        Value::U64(value) => json!(value.to_string()),
        Value::F32(value) => float_to_json(f64::from(*value)),
        Value::F64(value) => float_to_json(*value),
        Value::Char(value) => json!(value.to_string()),
        Value::String(value) => json!(value),
        Value::List(values) | Value::Tuple(values) => {
            Json::Array(values.iter().map(value_to_json).collect())
        }
        Value::Record(fields) => Json::Object(
            fields
                .iter()
                .map(|(name, value)| (name.clone(), value_to_json(value)))
                .collect(),
        ),
        Value::Variant(case, payload) => {
            let mut object = Map::new();
            object.insert("tag".to_owned(), json!(case));
            if let Some(payload) = payload {
                object.insert("val".to_owned(), value_to_json(payload));
            }
            Json::Object(object)
        }
        Value::Enum(case) => json!(case),
        Value::Option(None) => Json::Null,
        Value::Option(Some(value)) => json!({ "some": value_to_json(value) }),
        Value::Result(Ok(payload)) => {
            json!({ "ok": payload.as_deref().map(value_to_json) })
        }
        Value::Result(Err(payload)) => {
            json!({ "err": payload.as_deref().map(value_to_json) })
        }
        Value::Flags(flags) => json!(flags),
    }
}

fn float_to_json(value: f64) -> Json {
    if value.is_nan() {
        json!("nan")
    } else if value == f64::INFINITY {
        json!("inf")
    } else if value == f64::NEG_INFINITY {
        json!("-inf")
    } else {
        json!(value)
    }
}

/// The value of `ty` that JSON spells; a `null` where a string belongs takes
/// the next of `raw_strings`.
///
/// # Errors
/// [`WireError`] naming the path to the first part that does not fit the
/// type, or a `null` string with no raw string left.
pub fn value_from_json(
    ty: &Type,
    json: &Json,
    raw_strings: &mut dyn Iterator<Item = String>,
) -> Result<Value, WireError> {
    value_at(ty, json, raw_strings, "")
}

fn integer<T: TryFrom<i128>>(json: &Json, path: &str, ty: &Type) -> Result<T, WireError> {
    let wide: Option<i128> = match json {
        Json::Number(number) => number
            .as_i64()
            .map(i128::from)
            .or_else(|| number.as_u64().map(i128::from)),
        // 64-bit integers travel as decimal strings.
        Json::String(text) if matches!(ty, Type::S64 | Type::U64) => text.parse().ok(),
        _ => None,
    };
    wide.and_then(|wide| T::try_from(wide).ok())
        .ok_or_else(|| wire_error(path, format!("expected a {ty}, got {json}")))
}

fn float(json: &Json, path: &str, ty: &Type) -> Result<f64, WireError> {
    match json {
        Json::Number(number) => number.as_f64(),
        Json::String(text) => match text.as_str() {
            "nan" => Some(f64::NAN),
            "inf" => Some(f64::INFINITY),
            "-inf" => Some(f64::NEG_INFINITY),
            _ => None,
        },
        _ => None,
    }
    .ok_or_else(|| wire_error(path, format!("expected an {ty}, got {json}")))
}

fn payload(
    ty: Option<&Type>,
    json: Option<&Json>,
    raw_strings: &mut dyn Iterator<Item = String>,
    path: &str,
) -> Result<Option<Box<Value>>, WireError> {
    match (ty, json) {
        (None, None | Some(Json::Null)) => Ok(None),
        (None, Some(json)) => Err(wire_error(path, format!("expected no payload, got {json}"))),
        (Some(ty), json) => Ok(Some(Box::new(value_at(
            ty,
            json.unwrap_or(&Json::Null),
            raw_strings,
            path,
        )?))),
    }
}

fn value_at(
    ty: &Type,
    json: &Json,
    raw_strings: &mut dyn Iterator<Item = String>,
    path: &str,
) -> Result<Value, WireError> {
    let expected = |what: &str| wire_error(path, format!("expected {what}, got {json}"));
    Ok(match ty {
        Type::Bool => Value::Bool(json.as_bool().ok_or_else(|| expected("a bool"))?),
        Type::S8 => Value::S8(integer(json, path, ty)?),
        Type::S16 => Value::S16(integer(json, path, ty)?),
        Type::S32 => Value::S32(integer(json, path, ty)?),
        Type::S64 => Value::S64(integer(json, path, ty)?),
        Type::U8 => Value::U8(integer(json, path, ty)?),
        Type::U16 => Value::U16(integer(json, path, ty)?),
        Type::U32 => Value::U32(integer(json, path, ty)?),
        Type::U64 => Value::U64(integer(json, path, ty)?),
        // An f32 travels as the f64 of the same value, so this is exact.
        #[allow(clippy::cast_possible_truncation)]
        Type::F32 => Value::F32(float(json, path, ty)? as f32),
        Type::F64 => Value::F64(float(json, path, ty)?),
        Type::Char => {
            let text = json.as_str().ok_or_else(|| expected("a char"))?;
            let mut chars = text.chars();
            match (chars.next(), chars.next()) {
                (Some(ch), None) => Value::Char(ch),
                _ => return Err(expected("one Unicode scalar value")),
            }
        }
        Type::String => match json {
            Json::String(text) => Value::String(text.clone()),
            Json::Null => Value::String(
                raw_strings
                    .next()
                    .ok_or_else(|| wire_error(path, "a null string, but no raw string is left"))?,
            ),
            _ => return Err(expected("a string")),
        },
        Type::List(element) => Value::List(
            json.as_array()
                .ok_or_else(|| expected("an array"))?
                .iter()
                .enumerate()
                .map(|(index, item)| {
                    value_at(element, item, raw_strings, &format!("{path}[{index}]"))
                })
                .collect::<Result<_, _>>()?,
        ),
        Type::Tuple(types) => {
            let items = json.as_array().ok_or_else(|| expected("an array"))?;
            if items.len() != types.len() {
                return Err(expected(&format!("{} elements", types.len())));
            }
            Value::Tuple(
                types
                    .iter()
                    .zip(items)
                    .enumerate()
                    .map(|(index, (ty, item))| {
                        value_at(ty, item, raw_strings, &format!("{path}[{index}]"))
                    })
                    .collect::<Result<_, _>>()?,
            )
        }
        Type::Record(fields) => {
            let object = json.as_object().ok_or_else(|| expected("an object"))?;
            if let Some(unknown) = object
                .keys()
                .find(|key| !fields.iter().any(|field| field.name == **key))
            {
                return Err(wire_error(path, format!("unknown field `{unknown}`")));
            }
            Value::Record(
                fields
                    .iter()
                    .map(|field| {
                        let item = object.get(&field.name).ok_or_else(|| {
                            wire_error(path, format!("missing field `{}`", field.name))
                        })?;
                        let value = value_at(
                            &field.ty,
                            item,
                            raw_strings,
                            &format!("{path}.{}", field.name),
                        )?;
                        Ok((field.name.clone(), value))
                    })
                    .collect::<Result<_, WireError>>()?,
            )
        }
        Type::Variant(cases) => {
            let tag = json
                .get("tag")
                .and_then(Json::as_str)
                .ok_or_else(|| expected("{\"tag\": ...}"))?;
            let case = cases
                .iter()
                .find(|case| case.name == tag)
                .ok_or_else(|| wire_error(path, format!("unknown case `{tag}`")))?;
            Value::Variant(
                case.name.clone(),
                payload(
                    case.ty.as_ref(),
                    json.get("val"),
                    raw_strings,
                    &format!("{path}.val"),
                )?,
            )
        }
        Type::Enum(cases) => {
            let case = json.as_str().ok_or_else(|| expected("a case name"))?;
            if !cases.iter().any(|declared| declared == case) {
                return Err(wire_error(path, format!("unknown case `{case}`")));
            }
            Value::Enum(case.to_owned())
        }
        Type::Flags(flags) => {
            let given = names(json, path)?;
            if let Some(unknown) = given.iter().find(|name| !flags.contains(name)) {
                return Err(wire_error(path, format!("unknown flag `{unknown}`")));
            }
            Value::Flags(
                flags
                    .iter()
                    .filter(|flag| given.contains(flag))
                    .cloned()
                    .collect(),
            )
        }
        Type::Option(some) => match json {
            Json::Null => Value::Option(None),
            Json::Object(object) if object.len() == 1 && object.contains_key("some") => {
                Value::Option(Some(Box::new(value_at(
                    some,
                    &object["some"],
                    raw_strings,
                    &format!("{path}.some"),
                )?)))
            }
            _ => return Err(expected("null or {\"some\": ...}")),
        },
        Type::Result { ok, err } => {
            let object = json
                .as_object()
                .filter(|object| object.len() == 1)
                .ok_or_else(|| expected("{\"ok\": ...} or {\"err\": ...}"))?;
            if let Some(value) = object.get("ok") {
                Value::Result(Ok(payload(
                    ok.as_deref(),
                    Some(value),
                    raw_strings,
                    &format!("{path}.ok"),
                )?))
            } else if let Some(value) = object.get("err") {
                Value::Result(Err(payload(
                    err.as_deref(),
                    Some(value),
                    raw_strings,
                    &format!("{path}.err"),
                )?))
            } else {
                return Err(expected("{\"ok\": ...} or {\"err\": ...}"));
            }
        }
        Type::Unsupported(what) => {
            return Err(wire_error(path, format!("{what} cannot be carried")));
        }
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn vectors() -> Vec<Json> {
        let path = concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/../../hosts/protocol-vectors.json"
        );
        let text = std::fs::read_to_string(path).expect("hosts/protocol-vectors.json");
        let file: Json = serde_json::from_str(&text).expect("valid JSON");
        file["vectors"]
            .as_array()
            .expect("a list of vectors")
            .clone()
    }

    #[test]
    fn every_vector_agrees_with_its_wave_both_ways() {
        let vectors = vectors();
        assert!(vectors.len() > 70, "{} vectors", vectors.len());
        for vector in vectors {
            let name = vector["name"].as_str().expect("a name");
            let ty = type_from_json(&vector["type"]).unwrap_or_else(|err| panic!("{name}: {err}"));
            assert_eq!(type_to_json(&ty), vector["type"], "{name}: the type's JSON");
            let wave = vector["wave"].as_str().expect("WAVE text");
            let value = crate::wave::parse(&ty, wave).unwrap_or_else(|err| panic!("{name}: {err}"));
            // Compared as text, so that -0.0 and 0.0 differ.
            assert_eq!(
                value_to_json(&value).to_string(),
                vector["json"].to_string(),
                "{name}: the wire form of {wave}"
            );
            let back = value_from_json(&ty, &vector["json"], &mut std::iter::empty())
                .unwrap_or_else(|err| panic!("{name}: {err}"));
            assert_eq!(back, value, "{name}: read back");
            // The writer spells floats in full decimal, so compare values.
            let written = crate::wave::to_string(&back);
            let reread = crate::wave::parse(&ty, &written)
                .unwrap_or_else(|err| panic!("{name}: {written}: {err}"));
            assert_eq!(reread, value, "{name}: WAVE written again as {written}");
        }
    }

    #[test]
    fn null_strings_take_raw_strings_in_order() {
        let ty = Type::Tuple(vec![Type::String, Type::Option(Arc::new(Type::String))].into());
        let mut raws = vec!["first".to_owned(), "second".to_owned()].into_iter();
        let value = value_from_json(&ty, &json!([null, { "some": null }]), &mut raws)
            .expect("two raw strings");
        assert_eq!(
            value,
            Value::Tuple(vec![
                Value::String("first".into()),
                Value::some(Value::String("second".into()))
            ])
        );
        let err = value_from_json(&Type::String, &Json::Null, &mut std::iter::empty())
            .expect_err("none left");
        assert!(
            err.message.contains("no raw string is left"),
            "{}",
            err.message
        );
    }

    #[test]
    fn values_outside_their_type_are_refused_with_a_path() {
        let record = Type::Record(
            vec![Field {
                name: "n".into(),
                ty: Type::List(Arc::new(Type::U8)),
            }]
            .into(),
        );
        let err = value_from_json(&record, &json!({ "n": [1, 256] }), &mut std::iter::empty())
            .expect_err("256");
        assert_eq!(err.message, "at `.n[1]`: expected a u8, got 256");
        for (ty, json) in [
            (Type::U64, json!("-1")),
            (Type::U64, json!("18446744073709551616")),
            (Type::S64, json!(1.5)),
            (Type::U8, json!(1.5)),
            (Type::Char, json!("ab")),
            (Type::Char, json!("")),
            (Type::Bool, json!(0)),
        ] {
            assert!(
                value_from_json(&ty, &json, &mut std::iter::empty()).is_err(),
                "{ty} {json}"
            );
        }
    }

    #[test]
    fn signatures_round_trip() {
        let function = Function {
            key: FunctionKey::new(Some("a:b/c@1.0.0"), "f"),
            params: vec![("x".into(), Type::Option(Arc::new(Type::U64)))],
            result: Some(Type::Result {
                ok: None,
                err: Some(Arc::new(Type::String)),
            }),
        };
        let json = function_to_json(&function);
        assert_eq!(function_from_json(&json), Ok(function));
    }
}
