//! Between the harness's values and types and wasmtime's `component::Val`
//! and `component::Type`: one-to-one, except for the kinds witness cannot
//! carry yet (resources, futures, streams, maps, fixed-length lists, error
//! contexts), which are refused by name.

use std::sync::Arc;

use wasmtime::component::{Val, types};
use witness_host_api::{Type, Value};
use witness_value::{Case, Field};

/// The value as wasmtime lowers it.
pub fn to_val(value: Value) -> Val {
    match value {
        Value::Bool(value) => Val::Bool(value),
        Value::S8(value) => Val::S8(value),
        Value::S16(value) => Val::S16(value),
        Value::S32(value) => Val::S32(value),
        Value::S64(value) => Val::S64(value),
        Value::U8(value) => Val::U8(value),
        Value::U16(value) => Val::U16(value),
        Value::U32(value) => Val::U32(value),
        Value::U64(value) => Val::U64(value),
        Value::F32(value) => Val::Float32(value),
        Value::F64(value) => Val::Float64(value),
        Value::Char(value) => Val::Char(value),
        Value::String(value) => Val::String(value),
        Value::List(values) => Val::List(values.into_iter().map(to_val).collect()),
        Value::Record(fields) => Val::Record(
            fields
                .into_iter()
                .map(|(name, value)| (name, to_val(value)))
                .collect(),
        ),
        Value::Tuple(values) => Val::Tuple(values.into_iter().map(to_val).collect()),
        Value::Variant(case, payload) => Val::Variant(case, boxed(payload)),
        Value::Enum(case) => Val::Enum(case),
        Value::Option(value) => Val::Option(boxed(value)),
        Value::Result(Ok(payload)) => Val::Result(Ok(boxed(payload))),
        Value::Result(Err(payload)) => Val::Result(Err(boxed(payload))),
        Value::Flags(flags) => Val::Flags(flags),
    }
}

fn boxed(value: Option<Box<Value>>) -> Option<Box<Val>> {
    value.map(|value| Box::new(to_val(*value)))
}

/// The value wasmtime lifted.
///
/// # Errors
/// The kind of a value witness cannot carry yet.
pub fn from_val(val: Val) -> Result<Value, String> {
    Ok(match val {
        Val::Bool(value) => Value::Bool(value),
        Val::S8(value) => Value::S8(value),
        Val::S16(value) => Value::S16(value),
        Val::S32(value) => Value::S32(value),
        Val::S64(value) => Value::S64(value),
        Val::U8(value) => Value::U8(value),
        Val::U16(value) => Value::U16(value),
        Val::U32(value) => Value::U32(value),
        Val::U64(value) => Value::U64(value),
        Val::Float32(value) => Value::F32(value),
        Val::Float64(value) => Value::F64(value),
        Val::Char(value) => Value::Char(value),
        Val::String(value) => Value::String(value),
        Val::List(values) => Value::List(from_vals(values)?),
        Val::Record(fields) => Value::Record(
            fields
                .into_iter()
                .map(|(name, value)| Ok((name, from_val(value)?)))
                .collect::<Result<_, String>>()?,
        ),
        Val::Tuple(values) => Value::Tuple(from_vals(values)?),
        Val::Variant(case, payload) => Value::Variant(case, unboxed(payload)?),
        Val::Enum(case) => Value::Enum(case),
        Val::Option(value) => Value::Option(unboxed(value)?),
        Val::Result(Ok(payload)) => Value::Result(Ok(unboxed(payload)?)),
        Val::Result(Err(payload)) => Value::Result(Err(unboxed(payload)?)),
        Val::Flags(flags) => Value::Flags(flags),
        Val::Map(_) => return Err("a map".to_owned()),
        Val::Resource(_) => return Err("a resource".to_owned()),
        Val::Future(_) => return Err("a future".to_owned()),
        Val::Stream(_) => return Err("a stream".to_owned()),
        Val::ErrorContext(_) => return Err("an error context".to_owned()),
        Val::FixedLengthList(_) => return Err("a fixed-length list".to_owned()),
    })
}

fn from_vals(vals: Vec<Val>) -> Result<Vec<Value>, String> {
    vals.into_iter().map(from_val).collect()
}

fn unboxed(val: Option<Box<Val>>) -> Result<Option<Box<Value>>, String> {
    val.map(|val| from_val(*val).map(Box::new)).transpose()
}

/// The structural type of a wasmtime type: what the host sees, to compare
/// with what the WIT says.
pub fn type_of(ty: &types::Type) -> Type {
    use types::Type as T;
    match ty {
        T::Bool => Type::Bool,
        T::S8 => Type::S8,
        T::U8 => Type::U8,
        T::S16 => Type::S16,
        T::U16 => Type::U16,
        T::S32 => Type::S32,
        T::U32 => Type::U32,
        T::S64 => Type::S64,
        T::U64 => Type::U64,
        T::Float32 => Type::F32,
        T::Float64 => Type::F64,
        T::Char => Type::Char,
        T::String => Type::String,
        T::List(list) => Type::List(Arc::new(type_of(&list.ty()))),
        T::Record(record) => Type::Record(
            record
                .fields()
                .map(|field| Field {
                    name: field.name.to_owned(),
                    ty: type_of(&field.ty),
                })
                .collect::<Vec<_>>()
                .into(),
        ),
        T::Tuple(tuple) => Type::Tuple(
            tuple
                .types()
                .map(|ty| type_of(&ty))
                .collect::<Vec<_>>()
                .into(),
        ),
        T::Variant(variant) => Type::Variant(
            variant
                .cases()
                .map(|case| Case {
                    name: case.name.to_owned(),
                    ty: case.ty.as_ref().map(type_of),
                })
                .collect::<Vec<_>>()
                .into(),
        ),
        T::Enum(enum_) => Type::Enum(enum_.names().map(str::to_owned).collect::<Vec<_>>().into()),
        T::Option(option) => Type::Option(Arc::new(type_of(&option.ty()))),
        T::Result(result) => Type::Result {
            ok: result.ok().map(|ok| Arc::new(type_of(&ok))),
            err: result.err().map(|err| Arc::new(type_of(&err))),
        },
        T::Flags(flags) => Type::Flags(flags.names().map(str::to_owned).collect::<Vec<_>>().into()),
        T::Own(_) | T::Borrow(_) => Type::Unsupported("resource handle".into()),
        T::Map(_) => Type::Unsupported("map".into()),
        T::Future(_) => Type::Unsupported("future".into()),
        T::Stream(_) => Type::Unsupported("stream".into()),
        T::ErrorContext => Type::Unsupported("error-context".into()),
        T::FixedLengthList(_) => Type::Unsupported("fixed-length list".into()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn values_survive_the_trip_through_val() {
        let values = [
            Value::U64(u64::MAX),
            Value::S64(i64::MIN),
            Value::F64(-0.0),
            Value::F32(f32::from_bits(0x7fc0_0001)),
            Value::Char('\u{10FFFF}'),
            Value::some(Value::Option(None)),
            Value::Result(Err(None)),
            Value::Record(vec![("sort-keys".into(), Value::Bool(true))]),
            Value::Variant("b".into(), Some(Box::new(Value::List(vec![Value::U8(0)])))),
            Value::Flags(vec!["x".into(), "y".into()]),
            Value::Tuple(vec![Value::Enum("e".into()), Value::String("é😀".into())]),
        ];
        for value in values {
            let back = from_val(to_val(value.clone())).expect("carried");
            assert_eq!(back, value);
        }
    }
}
