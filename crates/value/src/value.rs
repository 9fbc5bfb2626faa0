//! Typed values and the one comparison of values.

use std::hash::{Hash, Hasher};

/// A value of a [`Type`](crate::Type), one-to-one with wasmtime's
/// `component::Val` (resources aside).
///
/// Equality is the harness's comparison of outcomes, not IEEE's: every NaN
/// equals every other NaN whatever its payload (the component model lets a
/// host change NaN bits), other floats compare by their bits (so `-0.0` and
/// `0.0` differ), flags compare as sets, and strings compare as bytes.
/// `Hash` agrees with it, so that outcomes can be grouped.
#[derive(Clone, Debug)]
pub enum Value {
    /// `bool`.
    Bool(bool),
    /// `s8`.
    S8(i8),
    /// `s16`.
    S16(i16),
    /// `s32`.
    S32(i32),
    /// `s64`.
    S64(i64),
    /// `u8`.
    U8(u8),
    /// `u16`.
    U16(u16),
    /// `u32`.
    U32(u32),
    /// `u64`.
    U64(u64),
    /// `f32`.
    F32(f32),
    /// `f64`.
    F64(f64),
    /// `char`.
    Char(char),
    /// `string`.
    String(String),
    /// `list<T>`.
    List(Vec<Value>),
    /// `record`: every field, by name, in the type's order.
    Record(Vec<(String, Value)>),
    /// `tuple`.
    Tuple(Vec<Value>),
    /// `variant`: the case's name and its payload, if the case has one.
    Variant(String, Option<Box<Value>>),
    /// `enum`: the case's name.
    Enum(String),
    /// `option<T>`.
    Option(Option<Box<Value>>),
    /// `result<T, E>`, with each side's payload if that side has one.
    Result(Result<Option<Box<Value>>, Option<Box<Value>>>),
    /// `flags`: the names of the flags that are set.
    Flags(Vec<String>),
}

impl Value {
    /// `ok(payload)` of a `result`.
    pub fn ok(payload: Option<Value>) -> Value {
        Value::Result(Ok(payload.map(Box::new)))
    }

    /// `err(payload)` of a `result`.
    pub fn err(payload: Option<Value>) -> Value {
        Value::Result(Err(payload.map(Box::new)))
    }

    /// `some(value)` of an `option`.
    pub fn some(value: Value) -> Value {
        Value::Option(Some(Box::new(value)))
    }

    /// The kind of the value, as a WIT keyword (`u8`, `record`, ...), for
    /// messages.
    pub fn kind(&self) -> &'static str {
        match self {
            Value::Bool(_) => "bool",
            Value::S8(_) => "s8",
            Value::S16(_) => "s16",
            Value::S32(_) => "s32",
            Value::S64(_) => "s64",
            Value::U8(_) => "u8",
            Value::U16(_) => "u16",
            Value::U32(_) => "u32",
            Value::U64(_) => "u64",
            Value::F32(_) => "f32",
            Value::F64(_) => "f64",
            Value::Char(_) => "char",
            Value::String(_) => "string",
            Value::List(_) => "list",
            Value::Record(_) => "record",
            Value::Tuple(_) => "tuple",
            Value::Variant(..) => "variant",
            Value::Enum(_) => "enum",
            Value::Option(_) => "option",
            Value::Result(_) => "result",
            Value::Flags(_) => "flags",
        }
    }

    /// The string of a `string` value.
    pub fn as_str(&self) -> Option<&str> {
        match self {
            Value::String(text) => Some(text),
            _ => None,
        }
    }

    /// The flags, sorted and without repeats: what flags compare as.
    fn flag_set(flags: &[String]) -> Vec<&str> {
        let mut set: Vec<&str> = flags.iter().map(String::as_str).collect();
        set.sort_unstable();
        set.dedup();
        set
    }
}

impl PartialEq for Value {
    fn eq(&self, other: &Value) -> bool {
        match (self, other) {
            (Value::Bool(a), Value::Bool(b)) => a == b,
            (Value::S8(a), Value::S8(b)) => a == b,
            (Value::S16(a), Value::S16(b)) => a == b,
            (Value::S32(a), Value::S32(b)) => a == b,
            (Value::S64(a), Value::S64(b)) => a == b,
            (Value::U8(a), Value::U8(b)) => a == b,
            (Value::U16(a), Value::U16(b)) => a == b,
            (Value::U32(a), Value::U32(b)) => a == b,
            (Value::U64(a), Value::U64(b)) => a == b,
            (Value::F32(a), Value::F32(b)) => {
                (a.is_nan() && b.is_nan()) || a.to_bits() == b.to_bits()
            }
            (Value::F64(a), Value::F64(b)) => {
                (a.is_nan() && b.is_nan()) || a.to_bits() == b.to_bits()
            }
            (Value::Char(a), Value::Char(b)) => a == b,
            (Value::String(a), Value::String(b)) => a.as_bytes() == b.as_bytes(),
            (Value::List(a), Value::List(b)) | (Value::Tuple(a), Value::Tuple(b)) => a == b,
            (Value::Record(a), Value::Record(b)) => a == b,
            (Value::Variant(case_a, a), Value::Variant(case_b, b)) => case_a == case_b && a == b,
            (Value::Enum(a), Value::Enum(b)) => a == b,
            (Value::Option(a), Value::Option(b)) => a == b,
            (Value::Result(a), Value::Result(b)) => a == b,
            (Value::Flags(a), Value::Flags(b)) => Value::flag_set(a) == Value::flag_set(b),
            _ => false,
        }
    }
}

impl Eq for Value {}

impl Hash for Value {
    fn hash<H: Hasher>(&self, state: &mut H) {
        std::mem::discriminant(self).hash(state);
        match self {
            Value::Bool(value) => value.hash(state),
            Value::S8(value) => value.hash(state),
            Value::S16(value) => value.hash(state),
            Value::S32(value) => value.hash(state),
            Value::S64(value) => value.hash(state),
            Value::U8(value) => value.hash(state),
            Value::U16(value) => value.hash(state),
            Value::U32(value) => value.hash(state),
            Value::U64(value) => value.hash(state),
            // Every NaN hashes alike, as every NaN is equal.
            Value::F32(value) if value.is_nan() => u32::MAX.hash(state),
            Value::F32(value) => value.to_bits().hash(state),
            Value::F64(value) if value.is_nan() => u64::MAX.hash(state),
            Value::F64(value) => value.to_bits().hash(state),
            Value::Char(value) => value.hash(state),
            Value::String(value) => value.hash(state),
            Value::List(values) | Value::Tuple(values) => values.hash(state),
            Value::Record(fields) => fields.hash(state),
            Value::Variant(case, payload) => {
                case.hash(state);
                payload.hash(state);
            }
            Value::Enum(case) => case.hash(state),
            Value::Option(value) => value.hash(state),
            Value::Result(value) => value.hash(state),
            Value::Flags(flags) => Value::flag_set(flags).hash(state),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn hash_of(value: &Value) -> u64 {
        let mut hasher = std::collections::hash_map::DefaultHasher::new();
        value.hash(&mut hasher);
        hasher.finish()
    }

    #[test]
    fn every_nan_equals_every_other_nan() {
        let quiet = Value::F64(f64::NAN);
        let payload = Value::F64(f64::from_bits(0x7ff0_0000_0000_0001));
        let negative = Value::F64(-f64::NAN);
        assert_eq!(quiet, payload);
        assert_eq!(quiet, negative);
        assert_eq!(hash_of(&quiet), hash_of(&payload));
        assert_eq!(
            Value::F32(f32::NAN),
            Value::F32(f32::from_bits(0xffc0_0001))
        );
        assert_ne!(Value::F32(f32::NAN), Value::F64(f64::NAN));
    }

    #[test]
    fn floats_otherwise_compare_by_bits() {
        assert_ne!(Value::F64(0.0), Value::F64(-0.0));
        assert_ne!(Value::F32(0.0), Value::F32(-0.0));
        assert_eq!(Value::F64(1.5), Value::F64(1.5));
        assert_ne!(Value::F64(f64::INFINITY), Value::F64(f64::NAN));
    }

    #[test]
    fn flags_compare_as_sets() {
        let ab = Value::Flags(vec!["a".into(), "b".into()]);
        let ba = Value::Flags(vec!["b".into(), "a".into()]);
        assert_eq!(ab, ba);
        assert_eq!(hash_of(&ab), hash_of(&ba));
        assert_ne!(ab, Value::Flags(vec!["a".into()]));
    }

    #[test]
    fn kinds_never_compare_equal_across_types() {
        assert_ne!(Value::U32(1), Value::S32(1));
        assert_ne!(Value::List(vec![]), Value::Tuple(vec![]));
        assert_ne!(Value::ok(None), Value::err(None));
        assert_ne!(Value::Option(None), Value::some(Value::Option(None)));
    }
}
