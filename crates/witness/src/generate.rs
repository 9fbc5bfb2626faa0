//! Values generated from WIT types: a proptest strategy for any [`Type`],
//! biased towards the edges where bindings generators and hosts go wrong,
//! with proptest's shrinking.
//!
//! The generator walks the type; nothing is written per type.  A contract
//! overrides the strategy of a parameter where it knows better (json-tools
//! feeds its oracle's documents into `input`), through [`Overrides`].

use std::{collections::HashMap, sync::Arc};

use proptest::{
    collection::vec,
    prelude::{Just, Strategy, any},
    sample::{select, subsequence},
    strategy::{BoxedStrategy, Union},
};
use witness_host_api::{Function, FunctionKey, Type, Value};

/// How big generated values may get.
#[derive(Clone, Copy, Debug)]
pub struct Budget {
    /// The most elements of an ordinary list.
    pub list_len: usize,
    /// The length of the long lists some cases get (more than 1,000, as the
    /// edges of a list's lowering lie there); only for lists of scalars, and
    /// only outside other lists.
    pub long_list_len: usize,
    /// The most characters of a string.
    pub string_len: usize,
}

impl Default for Budget {
    fn default() -> Budget {
        Budget {
            list_len: 8,
            long_list_len: 1_100,
            string_len: 40,
        }
    }
}

/// Strategies that replace the generated one for some parameters, by
/// function and parameter name.
#[derive(Clone, Default)]
pub struct Overrides {
    by_param: HashMap<(FunctionKey, String), BoxedStrategy<Value>>,
}

impl Overrides {
    /// No overrides.
    pub fn new() -> Overrides {
        Overrides::default()
    }

    /// Uses `strategy` for parameter `param` of `function`.
    pub fn with(
        mut self,
        function: FunctionKey,
        param: &str,
        strategy: BoxedStrategy<Value>,
    ) -> Overrides {
        self.by_param.insert((function, param.to_owned()), strategy);
        self
    }
}

/// The arguments of a call of `function`: one generated value per
/// parameter, or the override's.
pub fn arguments(
    function: &Function,
    overrides: &Overrides,
    budget: Budget,
) -> BoxedStrategy<Vec<Value>> {
    let params: Vec<BoxedStrategy<Value>> = function
        .params
        .iter()
        .map(|(name, ty)| {
            overrides
                .by_param
                .get(&(function.key.clone(), name.clone()))
                .cloned()
                .unwrap_or_else(|| value(ty, budget))
        })
        .collect();
    params.boxed()
}

/// Values of `ty`.
pub fn value(ty: &Type, budget: Budget) -> BoxedStrategy<Value> {
    value_at(ty, budget, true)
}

/// Integers: the edges (min, max, 0, ±1) half the time, any value otherwise.
macro_rules! integer {
    ($int:ty, $variant:ident) => {{
        let mut edges: Vec<$int> = vec![<$int>::MIN, <$int>::MAX, 0, 1];
        #[allow(unused_comparisons)]
        if <$int>::MIN < 0 {
            edges.push((0 as $int).wrapping_sub(1));
        }
        Union::new_weighted(vec![(1, select(edges).boxed()), (1, any::<$int>().boxed())])
            .prop_map(Value::$variant)
            .boxed()
    }};
}

/// The characters at the edges of UTF-8's lengths and around the surrogate
/// gap, which transcoders get wrong.
const EDGE_CHARS: [char; 12] = [
    '\u{0}',
    '\u{7f}',
    '\u{80}',
    '\u{7ff}',
    '\u{800}',
    '\u{d7ff}',
    '\u{e000}',
    '\u{fffd}',
    '\u{ffff}',
    '\u{10000}',
    '\u{10ffff}',
    '"',
];

/// The characters where languages disagree on what text is: Unicode's
/// `White_Space` code points, the C0 separators U+001C to U+001F (white
/// space to C's `isspace` and Python's `str.split`, not to Unicode), U+FEFF
/// (white space to JavaScript's `\s` and `trim`, a byte-order mark to a
/// decoder), U+180E (white space in older Unicode), U+200B (a zero-width
/// space that is not white space), and the letters whose case mapping
/// changes their length or leaves ASCII (`ß`, `İ`, `ı`, `ſ`, `K` Kelvin).
/// Uniform draws over all of Unicode almost never hit them.
const TEXT_EDGE_CHARS: [char; 38] = [
    '\t', '\n', '\u{b}', '\u{c}', '\r', ' ', '\u{85}', '\u{a0}', '\u{1680}', '\u{2000}',
    '\u{2001}', '\u{2002}', '\u{2003}', '\u{2004}', '\u{2005}', '\u{2006}', '\u{2007}', '\u{2008}',
    '\u{2009}', '\u{200a}', '\u{2028}', '\u{2029}', '\u{202f}', '\u{205f}', '\u{3000}', '\u{1c}',
    '\u{1d}', '\u{1e}', '\u{1f}', '\u{feff}', '\u{180e}', '\u{200b}', 'ß', 'İ', 'ı', 'ſ',
    '\u{212a}', 'a',
];

fn chars() -> BoxedStrategy<char> {
    Union::new_weighted(vec![
        (1, select(EDGE_CHARS.to_vec()).boxed()),
        (1, select(TEXT_EDGE_CHARS.to_vec()).boxed()),
        (2, any::<char>().boxed()),
    ])
    .boxed()
}

fn strings(budget: Budget) -> BoxedStrategy<String> {
    let ascii = proptest::string::string_regex(&format!("[ -~]{{0,{}}}", budget.string_len))
        .expect("a valid regex")
        .boxed();
    let mixed = vec(chars(), 0..=budget.string_len)
        .prop_map(|chars| chars.into_iter().collect::<String>())
        .boxed();
    Union::new_weighted(vec![
        (1, Just(String::new()).boxed()),
        (2, ascii),
        (3, mixed),
    ])
    .boxed()
}

/// Floats: the edges (NaN, one with a payload and the sign bit, since hosts
/// may change NaN bits; ±inf, ±0, the smallest subnormals, the extremes,
/// ±1) a third of the time, any value otherwise.
macro_rules! floats {
    ($float:ident, $nan_with_payload:expr) => {{
        let edges = vec![
            $float::NAN,
            $float::INFINITY,
            $float::NEG_INFINITY,
            0.0,
            -0.0,
            $float::from_bits(1),
            -$float::from_bits(1),
            $float::MIN_POSITIVE,
            $float::MAX,
            $float::MIN,
            1.0,
            -1.0,
            $float::from_bits($nan_with_payload),
        ];
        Union::new_weighted(vec![
            (1, select(edges).boxed()),
            (2, proptest::num::$float::ANY.boxed()),
        ])
        .boxed()
    }};
}

fn f64s() -> BoxedStrategy<f64> {
    floats!(f64, 0xfff8_0000_0000_0001)
}

fn f32s() -> BoxedStrategy<f32> {
    floats!(f32, 0xffc0_0001)
}

fn is_scalar(ty: &Type) -> bool {
    !matches!(
        ty,
        Type::List(_)
            | Type::Record(_)
            | Type::Tuple(_)
            | Type::Variant(_)
            | Type::Option(_)
            | Type::Result { .. }
            | Type::Unsupported(_)
    )
}

fn payload(ty: Option<&Type>, budget: Budget) -> BoxedStrategy<Option<Box<Value>>> {
    match ty {
        None => Just(None).boxed(),
        Some(ty) => value_at(ty, budget, false)
            .prop_map(|value| Some(Box::new(value)))
            .boxed(),
    }
}

fn value_at(ty: &Type, budget: Budget, top: bool) -> BoxedStrategy<Value> {
    match ty {
        Type::Bool => any::<bool>().prop_map(Value::Bool).boxed(),
        Type::S8 => integer!(i8, S8),
        Type::S16 => integer!(i16, S16),
        Type::S32 => integer!(i32, S32),
        Type::S64 => integer!(i64, S64),
        Type::U8 => integer!(u8, U8),
        Type::U16 => integer!(u16, U16),
        Type::U32 => integer!(u32, U32),
        Type::U64 => integer!(u64, U64),
        Type::F32 => f32s().prop_map(Value::F32).boxed(),
        Type::F64 => f64s().prop_map(Value::F64).boxed(),
        Type::Char => chars().prop_map(Value::Char).boxed(),
        Type::String => strings(budget).prop_map(Value::String).boxed(),
        Type::List(element) => {
            let item = value_at(element, budget, false);
            let mut lists = vec![
                (1, Just(Vec::new()).boxed()),
                (6, vec(item.clone(), 1..=budget.list_len).boxed()),
            ];
            if top && is_scalar(element) {
                lists.push((
                    1,
                    vec(item, budget.long_list_len..=budget.long_list_len + 64).boxed(),
                ));
            }
            Union::new_weighted(lists).prop_map(Value::List).boxed()
        }
        Type::Record(fields) => {
            let names: Vec<String> = fields.iter().map(|field| field.name.clone()).collect();
            let values: Vec<BoxedStrategy<Value>> = fields
                .iter()
                .map(|field| value_at(&field.ty, budget, false))
                .collect();
            values
                .prop_map(move |values| Value::Record(names.iter().cloned().zip(values).collect()))
                .boxed()
        }
        Type::Tuple(types) => {
            let values: Vec<BoxedStrategy<Value>> =
                types.iter().map(|ty| value_at(ty, budget, false)).collect();
            values.prop_map(Value::Tuple).boxed()
        }
        Type::Variant(cases) => {
            let cases: Vec<BoxedStrategy<Value>> = cases
                .iter()
                .map(|case| {
                    let name = case.name.clone();
                    payload(case.ty.as_ref(), budget)
                        .prop_map(move |payload| Value::Variant(name.clone(), payload))
                        .boxed()
                })
                .collect();
            Union::new(cases).boxed()
        }
        Type::Enum(cases) => select(cases.to_vec()).prop_map(Value::Enum).boxed(),
        Type::Flags(flags) => {
            let all: Vec<String> = flags.to_vec();
            Union::new_weighted(vec![
                (1, Just(Vec::new()).boxed()),
                (1, Just(all.clone()).boxed()),
                (4, subsequence(all.clone(), 0..=all.len()).boxed()),
            ])
            .prop_map(Value::Flags)
            .boxed()
        }
        Type::Option(some) => Union::new_weighted(vec![
            (1, Just(Value::Option(None)).boxed()),
            (
                3,
                value_at(some, budget, false)
                    .prop_map(|value| Value::Option(Some(Box::new(value))))
                    .boxed(),
            ),
        ])
        .boxed(),
        Type::Result { ok, err } => Union::new(vec![
            payload(ok.as_deref(), budget)
                .prop_map(|payload| Value::Result(Ok(payload)))
                .boxed(),
            payload(err.as_deref(), budget)
                .prop_map(|payload| Value::Result(Err(payload)))
                .boxed(),
        ])
        .boxed(),
        Type::Unsupported(what) => {
            // A function with such a parameter is skipped before any value is
            // drawn (`Function::unsupported`); this strategy draws nothing.
            let what: Arc<str> = Arc::clone(what);
            Just(())
                .prop_filter_map(format!("{what} cannot be generated"), |()| None)
                .boxed()
        }
    }
}

#[cfg(test)]
mod tests {
    use proptest::{
        strategy::ValueTree,
        test_runner::{Config, TestRunner},
    };

    use super::*;
    use witness_value::{Case, Field};

    fn draw(ty: &Type, n_draws: usize) -> Vec<Value> {
        let strategy = value(ty, Budget::default());
        let mut runner = TestRunner::new(Config::default());
        (0..n_draws)
            .map(|_| {
                strategy
                    .new_tree(&mut runner)
                    .expect("never rejects")
                    .current()
            })
            .collect()
    }

    #[test]
    fn integers_reach_their_edges() {
        let values = draw(&Type::S64, 400);
        for edge in [i64::MIN, i64::MAX, 0, 1, -1] {
            assert!(values.contains(&Value::S64(edge)), "{edge} never drawn");
        }
        let values = draw(&Type::U64, 400);
        assert!(values.contains(&Value::U64(u64::MAX)));
        assert!(
            values
                .iter()
                .any(|value| matches!(value, Value::U64(n) if *n > 1 << 53 && *n != u64::MAX))
        );
    }

    #[test]
    fn floats_reach_nan_infinities_and_both_zeros() {
        let values = draw(&Type::F64, 500);
        for edge in [
            f64::NAN,
            f64::INFINITY,
            f64::NEG_INFINITY,
            0.0,
            -0.0,
            f64::from_bits(1),
        ] {
            assert!(values.contains(&Value::F64(edge)), "{edge:e} never drawn");
        }
        assert!(draw(&Type::F32, 500).contains(&Value::F32(-0.0)));
    }

    #[test]
    fn chars_and_strings_cross_every_utf8_length() {
        let values = draw(&Type::Char, 500);
        for edge in [
            '\u{0}',
            '\u{7ff}',
            '\u{800}',
            '\u{d7ff}',
            '\u{e000}',
            '\u{10000}',
            '\u{10ffff}',
        ] {
            assert!(values.contains(&Value::Char(edge)), "{edge:?} never drawn");
        }
        let strings = draw(&Type::String, 300);
        assert!(strings.contains(&Value::String(String::new())));
        for edge in ['\u{1c}', '\u{85}', '\u{feff}', '\u{3000}'] {
            assert!(
                strings
                    .iter()
                    .any(|value| value.as_str().is_some_and(|text| text.contains(edge))),
                "no string holds {edge:?}"
            );
        }
        assert!(strings.iter().any(|value| {
            value
                .as_str()
                .is_some_and(|text| text.chars().any(|ch| ch > '\u{ffff}'))
        }));
    }

    #[test]
    fn lists_are_empty_short_and_long() {
        let values = draw(&Type::List(Arc::new(Type::U8)), 300);
        let lengths: Vec<usize> = values
            .iter()
            .map(|value| match value {
                Value::List(items) => items.len(),
                other => panic!("not a list: {other:?}"),
            })
            .collect();
        assert!(lengths.contains(&0));
        assert!(lengths.iter().any(|len| (1..=8).contains(len)));
        assert!(lengths.iter().any(|len| *len > 1_000));
        // Long lists only at the top: a list of lists stays small.
        let nested = draw(&Type::List(Arc::new(Type::List(Arc::new(Type::U8)))), 200);
        assert!(nested.iter().all(|value| {
            match value {
                Value::List(items) => items
                    .iter()
                    .all(|item| matches!(item, Value::List(inner) if inner.len() <= 8)),
                _ => false,
            }
        }));
    }

    #[test]
    fn compound_types_reach_every_shape() {
        let flags = Type::Flags(
            (0..32)
                .map(|index| format!("f{index}"))
                .collect::<Vec<_>>()
                .into(),
        );
        let values = draw(&flags, 200);
        assert!(values.contains(&Value::Flags(Vec::new())));
        assert!(
            values
                .iter()
                .any(|value| matches!(value, Value::Flags(set) if set.len() == 32))
        );
        let nested = Type::Option(Arc::new(Type::Option(Arc::new(Type::U8))));
        let values = draw(&nested, 200);
        assert!(values.contains(&Value::Option(None)));
        assert!(values.contains(&Value::some(Value::Option(None))));
        assert!(values.iter().any(|value| matches!(value, Value::Option(Some(inner)) if matches!(**inner, Value::Option(Some(_))))));
        let bare = Type::Result {
            ok: None,
            err: None,
        };
        let values = draw(&bare, 50);
        assert!(values.contains(&Value::ok(None)) && values.contains(&Value::err(None)));
        let variant = Type::Variant(
            vec![
                Case {
                    name: "a".into(),
                    ty: None,
                },
                Case {
                    name: "b".into(),
                    ty: Some(Type::Record(
                        vec![Field {
                            name: "x".into(),
                            ty: Type::Bool,
                        }]
                        .into(),
                    )),
                },
            ]
            .into(),
        );
        let values = draw(&variant, 100);
        assert!(values.contains(&Value::Variant("a".into(), None)));
        assert!(
            values
                .iter()
                .any(|value| matches!(value, Value::Variant(case, Some(_)) if case == "b"))
        );
    }

    #[test]
    fn every_generated_value_is_of_its_type_and_shrinks() {
        let ty = Type::Tuple(
            vec![
                Type::List(Arc::new(Type::S16)),
                Type::String,
                Type::Enum(vec!["x".into(), "y".into()].into()),
            ]
            .into(),
        );
        let strategy = value(&ty, Budget::default());
        let mut runner = TestRunner::new(Config::default());
        for _ in 0..50 {
            let mut tree = strategy.new_tree(&mut runner).expect("never rejects");
            let text = witness_value::wave::to_string(&tree.current());
            witness_value::wave::parse(&ty, &text).unwrap_or_else(|err| panic!("{text}: {err}"));
            // Shrinking ends, and stays of the type.
            let mut steps = 0;
            while tree.simplify() && steps < 500 {
                steps += 1;
            }
            let text = witness_value::wave::to_string(&tree.current());
            witness_value::wave::parse(&ty, &text)
                .unwrap_or_else(|err| panic!("shrunk {text}: {err}"));
        }
    }
}
