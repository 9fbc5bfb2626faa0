//! WAVE, the one text form of values that people read: in reports, diffs,
//! repro commands, regression files and call corpora.
//!
//! [`Type`] and [`Value`] implement `wasm-wave`'s traits, so the crate's own
//! writer and parser do the work; [`call`] and [`parse_call`] spell a whole
//! call, `format("[1,]", none)`, as `wasmtime run --invoke` does.

use std::borrow::Cow;

use wasm_wave::{
    untyped::UntypedFuncCall,
    wasm::{WasmType, WasmTypeKind, WasmValue, WasmValueError},
};

use crate::{Case, Field, Function, Type, Value};

/// A WAVE text that does not spell a value of its type, or a call of its
/// function.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[error("{message}")]
pub struct WaveError {
    /// What is wrong, with the byte offset in the text where the parser
    /// knows it.
    pub message: String,
}

impl WaveError {
    fn parser(text: &str, error: &wasm_wave::parser::ParserError) -> WaveError {
        let span = error.span();
        let near: String = text
            .get(span.start..)
            .unwrap_or("")
            .chars()
            .take(20)
            .collect();
        WaveError {
            message: format!("at byte {}: {error} (near `{near}`)", span.start),
        }
    }
}

/// The value in WAVE.
pub fn to_string(value: &Value) -> String {
    // The writer fails only on a value its type cannot hold (which our own
    // values never are) or on a failing `fmt::Write`, which a `String` is not.
    wasm_wave::to_string(value).unwrap_or_else(|err| format!("<unwritable value: {err}>"))
}

/// The value of `ty` that `text` spells in WAVE.
///
/// # Errors
/// [`WaveError`] with the byte offset of the first problem.
pub fn parse(ty: &Type, text: &str) -> Result<Value, WaveError> {
    wasm_wave::from_str::<Value>(ty, text).map_err(|err| WaveError::parser(text, &err))
}

/// A call in WAVE: `name(arg, arg)`.
pub fn call(function: &Function, args: &[Value]) -> String {
    let mut text = format!("{}(", function.key.name);
    for (index, arg) in args.iter().enumerate() {
        if index > 0 {
            text.push_str(", ");
        }
        text.push_str(&to_string(arg));
    }
    text.push(')');
    text
}

/// The function name of a call written in WAVE (`format("[1,]", none)`), and
/// a parser of its arguments once the function's signature is known.
///
/// # Errors
/// [`WaveError`] when the text is not a call.
pub fn parse_call(text: &str) -> Result<ParsedCall<'_>, WaveError> {
    let untyped = UntypedFuncCall::parse(text).map_err(|err| WaveError::parser(text, &err))?;
    Ok(ParsedCall { untyped })
}

/// A call read from WAVE whose arguments are not typed yet.
pub struct ParsedCall<'text> {
    untyped: UntypedFuncCall<'text>,
}

impl ParsedCall<'_> {
    /// The called function's name.
    pub fn name(&self) -> &str {
        self.untyped.name()
    }

    /// The arguments as values of `function`'s parameters; trailing `option`
    /// arguments may be left out and are `none`.
    ///
    /// # Errors
    /// [`WaveError`] when an argument is not of its parameter's type, or the
    /// count is wrong.
    pub fn args(&self, function: &Function) -> Result<Vec<Value>, WaveError> {
        self.untyped
            .to_wasm_params::<Value>(function.param_types())
            .map_err(|err| WaveError::parser(self.untyped.source(), &err))
    }
}

impl WasmType for Type {
    fn kind(&self) -> WasmTypeKind {
        match self {
            Type::Bool => WasmTypeKind::Bool,
            Type::S8 => WasmTypeKind::S8,
            Type::S16 => WasmTypeKind::S16,
            Type::S32 => WasmTypeKind::S32,
            Type::S64 => WasmTypeKind::S64,
            Type::U8 => WasmTypeKind::U8,
            Type::U16 => WasmTypeKind::U16,
            Type::U32 => WasmTypeKind::U32,
            Type::U64 => WasmTypeKind::U64,
            Type::F32 => WasmTypeKind::F32,
            Type::F64 => WasmTypeKind::F64,
            Type::Char => WasmTypeKind::Char,
            Type::String => WasmTypeKind::String,
            Type::List(_) => WasmTypeKind::List,
            Type::Record(_) => WasmTypeKind::Record,
            Type::Tuple(_) => WasmTypeKind::Tuple,
            Type::Variant(_) => WasmTypeKind::Variant,
            Type::Enum(_) => WasmTypeKind::Enum,
            Type::Option(_) => WasmTypeKind::Option,
            Type::Result { .. } => WasmTypeKind::Result,
            Type::Flags(_) => WasmTypeKind::Flags,
            Type::Unsupported(_) => WasmTypeKind::Unsupported,
        }
    }

    fn list_element_type(&self) -> Option<Type> {
        match self {
            Type::List(element) => Some(Type::clone(element)),
            _ => None,
        }
    }

    fn record_fields(&self) -> Box<dyn Iterator<Item = (Cow<'_, str>, Type)> + '_> {
        match self {
            Type::Record(fields) => Box::new(
                fields
                    .iter()
                    .map(|Field { name, ty }| (Cow::Borrowed(name.as_str()), ty.clone())),
            ),
            _ => Box::new(std::iter::empty()),
        }
    }

    fn tuple_element_types(&self) -> Box<dyn Iterator<Item = Type> + '_> {
        match self {
            Type::Tuple(types) => Box::new(types.iter().cloned()),
            _ => Box::new(std::iter::empty()),
        }
    }

    fn variant_cases(&self) -> Box<dyn Iterator<Item = (Cow<'_, str>, Option<Type>)> + '_> {
        match self {
            Type::Variant(cases) => Box::new(
                cases
                    .iter()
                    .map(|Case { name, ty }| (Cow::Borrowed(name.as_str()), ty.clone())),
            ),
            _ => Box::new(std::iter::empty()),
        }
    }

    fn enum_cases(&self) -> Box<dyn Iterator<Item = Cow<'_, str>> + '_> {
        match self {
            Type::Enum(cases) => Box::new(cases.iter().map(|case| Cow::Borrowed(case.as_str()))),
            _ => Box::new(std::iter::empty()),
        }
    }

    fn option_some_type(&self) -> Option<Type> {
        match self {
            Type::Option(some) => Some(Type::clone(some)),
            _ => None,
        }
    }

    fn result_types(&self) -> Option<(Option<Type>, Option<Type>)> {
        match self {
            Type::Result { ok, err } => Some((ok.as_deref().cloned(), err.as_deref().cloned())),
            _ => None,
        }
    }

    fn flags_names(&self) -> Box<dyn Iterator<Item = Cow<'_, str>> + '_> {
        match self {
            Type::Flags(flags) => Box::new(flags.iter().map(|flag| Cow::Borrowed(flag.as_str()))),
            _ => Box::new(std::iter::empty()),
        }
    }
}

fn wrong_kind(ty: &Type, kind: WasmTypeKind) -> WasmValueError {
    WasmValueError::WrongTypeKind {
        kind,
        ty: ty.to_string(),
    }
}

impl WasmValue for Value {
    type Type = Type;

    fn kind(&self) -> WasmTypeKind {
        match self {
            Value::Bool(_) => WasmTypeKind::Bool,
            Value::S8(_) => WasmTypeKind::S8,
            Value::S16(_) => WasmTypeKind::S16,
            Value::S32(_) => WasmTypeKind::S32,
            Value::S64(_) => WasmTypeKind::S64,
            Value::U8(_) => WasmTypeKind::U8,
            Value::U16(_) => WasmTypeKind::U16,
            Value::U32(_) => WasmTypeKind::U32,
            Value::U64(_) => WasmTypeKind::U64,
            Value::F32(_) => WasmTypeKind::F32,
            Value::F64(_) => WasmTypeKind::F64,
            Value::Char(_) => WasmTypeKind::Char,
            Value::String(_) => WasmTypeKind::String,
            Value::List(_) => WasmTypeKind::List,
            Value::Record(_) => WasmTypeKind::Record,
            Value::Tuple(_) => WasmTypeKind::Tuple,
            Value::Variant(..) => WasmTypeKind::Variant,
            Value::Enum(_) => WasmTypeKind::Enum,
            Value::Option(_) => WasmTypeKind::Option,
            Value::Result(_) => WasmTypeKind::Result,
            Value::Flags(_) => WasmTypeKind::Flags,
        }
    }

    fn make_bool(value: bool) -> Value {
        Value::Bool(value)
    }
    fn make_s8(value: i8) -> Value {
        Value::S8(value)
    }
    fn make_s16(value: i16) -> Value {
        Value::S16(value)
    }
    fn make_s32(value: i32) -> Value {
        Value::S32(value)
    }
    fn make_s64(value: i64) -> Value {
        Value::S64(value)
    }
    fn make_u8(value: u8) -> Value {
        Value::U8(value)
    }
    fn make_u16(value: u16) -> Value {
        Value::U16(value)
    }
    fn make_u32(value: u32) -> Value {
        Value::U32(value)
    }
    fn make_u64(value: u64) -> Value {
        Value::U64(value)
    }
    fn make_f32(value: f32) -> Value {
        Value::F32(value)
    }
    fn make_f64(value: f64) -> Value {
        Value::F64(value)
    }
    fn make_char(value: char) -> Value {
        Value::Char(value)
    }
    fn make_string(value: Cow<str>) -> Value {
        Value::String(value.into_owned())
    }

    fn make_list(
        ty: &Type,
        values: impl IntoIterator<Item = Value>,
    ) -> Result<Value, WasmValueError> {
        match ty {
            Type::List(_) => Ok(Value::List(values.into_iter().collect())),
            _ => Err(wrong_kind(ty, WasmTypeKind::List)),
        }
    }

    fn make_record<'a>(
        ty: &Type,
        fields: impl IntoIterator<Item = (&'a str, Value)>,
    ) -> Result<Value, WasmValueError> {
        let Type::Record(declared) = ty else {
            return Err(wrong_kind(ty, WasmTypeKind::Record));
        };
        let mut given: Vec<(&str, Value)> = fields.into_iter().collect();
        if let Some((unknown, _)) = given
            .iter()
            .find(|(name, _)| !declared.iter().any(|field| field.name == *name))
        {
            return Err(WasmValueError::UnknownField((*unknown).to_owned()));
        }
        // In the type's order, whatever order the text gave them in.
        let mut ordered = Vec::with_capacity(declared.len());
        for field in declared.iter() {
            let Some(index) = given.iter().position(|(name, _)| *name == field.name) else {
                return Err(WasmValueError::MissingField(field.name.clone()));
            };
            let (_, value) = given.swap_remove(index);
            ordered.push((field.name.clone(), value));
        }
        Ok(Value::Record(ordered))
    }

    fn make_tuple(
        ty: &Type,
        values: impl IntoIterator<Item = Value>,
    ) -> Result<Value, WasmValueError> {
        let Type::Tuple(types) = ty else {
            return Err(wrong_kind(ty, WasmTypeKind::Tuple));
        };
        let values: Vec<Value> = values.into_iter().collect();
        if values.len() != types.len() {
            return Err(WasmValueError::WrongNumberOfTupleValues {
                want: types.len(),
                got: values.len(),
            });
        }
        Ok(Value::Tuple(values))
    }

    fn make_variant(
        ty: &Type,
        case: &str,
        payload: Option<Value>,
    ) -> Result<Value, WasmValueError> {
        let Type::Variant(cases) = ty else {
            return Err(wrong_kind(ty, WasmTypeKind::Variant));
        };
        let Some(declared) = cases.iter().find(|declared| declared.name == case) else {
            return Err(WasmValueError::UnknownCase(case.to_owned()));
        };
        match (&declared.ty, &payload) {
            (Some(_), None) => Err(WasmValueError::MissingPayload(case.to_owned())),
            (None, Some(_)) => Err(WasmValueError::UnexpectedPayload(case.to_owned())),
            _ => Ok(Value::Variant(case.to_owned(), payload.map(Box::new))),
        }
    }

    fn make_enum(ty: &Type, case: &str) -> Result<Value, WasmValueError> {
        match ty {
            Type::Enum(cases) if cases.iter().any(|declared| declared == case) => {
                Ok(Value::Enum(case.to_owned()))
            }
            Type::Enum(_) => Err(WasmValueError::UnknownCase(case.to_owned())),
            _ => Err(wrong_kind(ty, WasmTypeKind::Enum)),
        }
    }

    fn make_option(ty: &Type, value: Option<Value>) -> Result<Value, WasmValueError> {
        match ty {
            Type::Option(_) => Ok(Value::Option(value.map(Box::new))),
            _ => Err(wrong_kind(ty, WasmTypeKind::Option)),
        }
    }

    fn make_result(
        ty: &Type,
        value: Result<Option<Value>, Option<Value>>,
    ) -> Result<Value, WasmValueError> {
        let Type::Result { ok, err } = ty else {
            return Err(wrong_kind(ty, WasmTypeKind::Result));
        };
        let (declared, payload, side) = match &value {
            Ok(payload) => (ok, payload, "ok"),
            Err(payload) => (err, payload, "err"),
        };
        match (declared, payload) {
            (Some(_), None) => Err(WasmValueError::MissingPayload(side.to_owned())),
            (None, Some(_)) => Err(WasmValueError::UnexpectedPayload(side.to_owned())),
            _ => Ok(Value::Result(
                value
                    .map(|ok| ok.map(Box::new))
                    .map_err(|err| err.map(Box::new)),
            )),
        }
    }

    fn make_flags<'a>(
        ty: &Type,
        names: impl IntoIterator<Item = &'a str>,
    ) -> Result<Value, WasmValueError> {
        let Type::Flags(declared) = ty else {
            return Err(wrong_kind(ty, WasmTypeKind::Flags));
        };
        let names: Vec<&str> = names.into_iter().collect();
        if let Some(unknown) = names
            .iter()
            .find(|name| !declared.iter().any(|flag| flag == *name))
        {
            return Err(WasmValueError::UnknownCase((*unknown).to_owned()));
        }
        // In the type's order, once each.
        Ok(Value::Flags(
            declared
                .iter()
                .filter(|flag| names.contains(&flag.as_str()))
                .cloned()
                .collect(),
        ))
    }

    fn unwrap_bool(&self) -> bool {
        matches!(self, Value::Bool(true))
    }
    fn unwrap_s8(&self) -> i8 {
        match self {
            Value::S8(value) => *value,
            _ => unreachable("s8", self),
        }
    }
    fn unwrap_s16(&self) -> i16 {
        match self {
            Value::S16(value) => *value,
            _ => unreachable("s16", self),
        }
    }
    fn unwrap_s32(&self) -> i32 {
        match self {
            Value::S32(value) => *value,
            _ => unreachable("s32", self),
        }
    }
    fn unwrap_s64(&self) -> i64 {
        match self {
            Value::S64(value) => *value,
            _ => unreachable("s64", self),
        }
    }
    fn unwrap_u8(&self) -> u8 {
        match self {
            Value::U8(value) => *value,
            _ => unreachable("u8", self),
        }
    }
    fn unwrap_u16(&self) -> u16 {
        match self {
            Value::U16(value) => *value,
            _ => unreachable("u16", self),
        }
    }
    fn unwrap_u32(&self) -> u32 {
        match self {
            Value::U32(value) => *value,
            _ => unreachable("u32", self),
        }
    }
    fn unwrap_u64(&self) -> u64 {
        match self {
            Value::U64(value) => *value,
            _ => unreachable("u64", self),
        }
    }
    fn unwrap_f32(&self) -> f32 {
        match self {
            Value::F32(value) => *value,
            _ => unreachable("f32", self),
        }
    }
    fn unwrap_f64(&self) -> f64 {
        match self {
            Value::F64(value) => *value,
            _ => unreachable("f64", self),
        }
    }
    fn unwrap_char(&self) -> char {
        match self {
            Value::Char(value) => *value,
            _ => unreachable("char", self),
        }
    }
    fn unwrap_string(&self) -> Cow<'_, str> {
        match self {
            Value::String(value) => Cow::Borrowed(value),
            _ => unreachable("string", self),
        }
    }
    fn unwrap_list(&self) -> Box<dyn Iterator<Item = Cow<'_, Value>> + '_> {
        match self {
            Value::List(values) | Value::Tuple(values) => {
                Box::new(values.iter().map(Cow::Borrowed))
            }
            _ => unreachable("list", self),
        }
    }
    fn unwrap_record(&self) -> Box<dyn Iterator<Item = (Cow<'_, str>, Cow<'_, Value>)> + '_> {
        match self {
            Value::Record(fields) => Box::new(
                fields
                    .iter()
                    .map(|(name, value)| (Cow::Borrowed(name.as_str()), Cow::Borrowed(value))),
            ),
            _ => unreachable("record", self),
        }
    }
    fn unwrap_tuple(&self) -> Box<dyn Iterator<Item = Cow<'_, Value>> + '_> {
        self.unwrap_list()
    }
    fn unwrap_variant(&self) -> (Cow<'_, str>, Option<Cow<'_, Value>>) {
        match self {
            Value::Variant(case, payload) => (
                Cow::Borrowed(case.as_str()),
                payload.as_deref().map(Cow::Borrowed),
            ),
            _ => unreachable("variant", self),
        }
    }
    fn unwrap_enum(&self) -> Cow<'_, str> {
        match self {
            Value::Enum(case) => Cow::Borrowed(case.as_str()),
            _ => unreachable("enum", self),
        }
    }
    fn unwrap_option(&self) -> Option<Cow<'_, Value>> {
        match self {
            Value::Option(value) => value.as_deref().map(Cow::Borrowed),
            _ => unreachable("option", self),
        }
    }
    fn unwrap_result(&self) -> Result<Option<Cow<'_, Value>>, Option<Cow<'_, Value>>> {
        match self {
            Value::Result(Ok(payload)) => Ok(payload.as_deref().map(Cow::Borrowed)),
            Value::Result(Err(payload)) => Err(payload.as_deref().map(Cow::Borrowed)),
            _ => unreachable("result", self),
        }
    }
    fn unwrap_flags(&self) -> Box<dyn Iterator<Item = Cow<'_, str>> + '_> {
        match self {
            Value::Flags(flags) => Box::new(flags.iter().map(|flag| Cow::Borrowed(flag.as_str()))),
            _ => unreachable("flags", self),
        }
    }
}

/// The writer asks for a kind only after [`WasmValue::kind`] said it is
/// that kind, so any other value is a bug of this module.
#[allow(clippy::panic)]
fn unreachable(kind: &str, value: &Value) -> ! {
    panic!("wasm-wave asked a {} value for its {kind}", value.kind())
}

#[cfg(test)]
mod tests {
    use std::sync::Arc;

    use super::*;
    use crate::FunctionKey;

    fn record() -> Type {
        Type::Record(
            vec![
                Field {
                    name: "indent".into(),
                    ty: Type::U32,
                },
                Field {
                    name: "sort-keys".into(),
                    ty: Type::Bool,
                },
            ]
            .into(),
        )
    }

    fn round_trip(ty: &Type, value: &Value) -> String {
        let text = to_string(value);
        let back = parse(ty, &text).unwrap_or_else(|err| panic!("{text}: {err}"));
        assert_eq!(&back, value, "{text}");
        text
    }

    #[test]
    fn scalars_at_their_edges_round_trip() {
        assert_eq!(
            round_trip(&Type::U64, &Value::U64(u64::MAX)),
            "18446744073709551615"
        );
        assert_eq!(
            round_trip(&Type::S64, &Value::S64(i64::MIN)),
            "-9223372036854775808"
        );
        assert_eq!(round_trip(&Type::F64, &Value::F64(-0.0)), "-0");
        assert_eq!(round_trip(&Type::F64, &Value::F64(f64::NAN)), "nan");
        assert_eq!(
            round_trip(&Type::F32, &Value::F32(f32::NEG_INFINITY)),
            "-inf"
        );
        round_trip(&Type::F64, &Value::F64(f64::from_bits(1)));
        round_trip(&Type::Char, &Value::Char('\u{10FFFF}'));
        round_trip(&Type::Char, &Value::Char('\0'));
        round_trip(&Type::String, &Value::String("a\"b\\\n\u{1}é😀".into()));
    }

    #[test]
    fn compound_values_round_trip() {
        let options = Type::Option(Arc::new(record()));
        let some = Value::some(Value::Record(vec![
            ("indent".into(), Value::U32(4)),
            ("sort-keys".into(), Value::Bool(true)),
        ]));
        assert_eq!(
            round_trip(&options, &some),
            "some({indent: 4, sort-keys: true})"
        );
        let nested = Type::Option(Arc::new(Type::Option(Arc::new(Type::U8))));
        round_trip(&nested, &Value::some(Value::Option(None)));
        round_trip(&nested, &Value::Option(None));
        let bare = Type::Result {
            ok: None,
            err: None,
        };
        assert_eq!(round_trip(&bare, &Value::err(None)), "err");
        let flags = Type::Flags(vec!["a".into(), "b".into(), "c".into()].into());
        assert_eq!(
            round_trip(&flags, &Value::Flags(vec!["a".into(), "c".into()])),
            "{a, c}"
        );
        let variant = Type::Variant(
            vec![
                Case {
                    name: "none-here".into(),
                    ty: None,
                },
                Case {
                    name: "some-list".into(),
                    ty: Some(Type::List(Arc::new(Type::S16))),
                },
            ]
            .into(),
        );
        round_trip(
            &variant,
            &Value::Variant("some-list".into(), Some(Box::new(Value::List(vec![])))),
        );
        let tuple =
            Type::Tuple(vec![Type::Enum(vec!["x".into(), "y".into()].into()), Type::U8].into());
        round_trip(
            &tuple,
            &Value::Tuple(vec![Value::Enum("y".into()), Value::U8(0)]),
        );
    }

    #[test]
    fn a_call_is_written_and_read_back() {
        let format = Function {
            key: FunctionKey::new(Some("example:json-tools/formatter@1.0.0"), "format"),
            params: vec![
                ("input".into(), Type::String),
                ("options".into(), Type::Option(Arc::new(record()))),
            ],
            result: Some(Type::Result {
                ok: Some(Arc::new(Type::String)),
                err: Some(Arc::new(Type::String)),
            }),
        };
        let args = vec![Value::String("[1,]".into()), Value::Option(None)];
        let text = call(&format, &args);
        assert_eq!(text, r#"format("[1,]", none)"#);
        let parsed = parse_call(&text).expect("a call");
        assert_eq!(parsed.name(), "format");
        assert_eq!(parsed.args(&format).expect("typed"), args);
        // A trailing option may be left out.
        let short = parse_call(r#"format("x")"#).expect("a call");
        assert_eq!(short.args(&format).expect("typed")[1], Value::Option(None));
        assert_eq!(
            format.to_string(),
            "format: func(input: string, options: option<record { indent: u32, sort-keys: bool }>) -> result<string, string>"
        );
    }

    #[test]
    fn bad_text_names_the_byte() {
        let err = parse(&Type::U8, "256").expect_err("out of range");
        assert!(err.message.starts_with("at byte 0"), "{}", err.message);
        let err = parse(&record(), "{indent: 1}").expect_err("missing field");
        assert!(err.message.contains("sort-keys"), "{}", err.message);
        let flags = Type::Flags(vec!["a".into()].into());
        assert!(parse(&flags, "{b}").is_err());
    }
}
