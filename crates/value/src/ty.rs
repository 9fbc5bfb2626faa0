//! WIT types, read from a `wit-parser` [`Resolve`], and the signatures of a
//! world's exported functions.

use std::{fmt, sync::Arc};

use wit_parser::{Resolve, TypeDefKind, WorldId, WorldItem};

/// A WIT value type, structurally: names of records, variants and the like
/// are not part of it, their fields and cases are.
///
/// Cloning is cheap: compound types share their parts.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub enum Type {
    /// `bool`.
    Bool,
    /// `s8`.
    S8,
    /// `s16`.
    S16,
    /// `s32`.
    S32,
    /// `s64`.
    S64,
    /// `u8`.
    U8,
    /// `u16`.
    U16,
    /// `u32`.
    U32,
    /// `u64`.
    U64,
    /// `f32`.
    F32,
    /// `f64`.
    F64,
    /// `char`: a Unicode scalar value.
    Char,
    /// `string`.
    String,
    /// `list<T>`.
    List(Arc<Type>),
    /// `record { ... }`, its fields in declaration order.
    Record(Arc<[Field]>),
    /// `tuple<...>`.
    Tuple(Arc<[Type]>),
    /// `variant { ... }`, its cases in declaration order.
    Variant(Arc<[Case]>),
    /// `enum { ... }`.
    Enum(Arc<[String]>),
    /// `option<T>`.
    Option(Arc<Type>),
    /// `result<T, E>`, either side possibly without a payload.
    Result {
        /// The `ok` payload's type, if it has one.
        ok: Option<Arc<Type>>,
        /// The `err` payload's type, if it has one.
        err: Option<Arc<Type>>,
    },
    /// `flags { ... }`.
    Flags(Arc<[String]>),
    /// A type witness cannot carry yet (a resource handle, a future, a
    /// stream, a map, a fixed-length list, an error context); the text says
    /// which.
    Unsupported(Arc<str>),
}

/// A record's field.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct Field {
    /// Its kebab-case name, as in the WIT.
    pub name: String,
    /// Its type.
    pub ty: Type,
}

/// A variant's case.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct Case {
    /// Its kebab-case name, as in the WIT.
    pub name: String,
    /// Its payload's type, if it has one.
    pub ty: Option<Type>,
}

/// A type or function that could not be read from a WIT package.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum TypeError {
    /// The WIT has a type that `wit-parser` left unresolved.
    #[error("the WIT type `{0}` is not resolved")]
    Unresolved(String),
}

impl Type {
    /// The structural type of a WIT type in `resolve`.
    ///
    /// # Errors
    /// [`TypeError::Unresolved`] for a type that `wit-parser` left unknown,
    /// which a resolved package never has.
    pub fn from_wit(resolve: &Resolve, ty: &wit_parser::Type) -> Result<Type, TypeError> {
        use wit_parser::Type as W;
        Ok(match ty {
            W::Bool => Type::Bool,
            W::U8 => Type::U8,
            W::U16 => Type::U16,
            W::U32 => Type::U32,
            W::U64 => Type::U64,
            W::S8 => Type::S8,
            W::S16 => Type::S16,
            W::S32 => Type::S32,
            W::S64 => Type::S64,
            W::F32 => Type::F32,
            W::F64 => Type::F64,
            W::Char => Type::Char,
            W::String => Type::String,
            W::ErrorContext => Type::Unsupported("error-context".into()),
            W::Id(id) => {
                let def = &resolve.types[*id];
                let of = |ty: &wit_parser::Type| Type::from_wit(resolve, ty);
                match &def.kind {
                    TypeDefKind::Type(inner) => of(inner)?,
                    TypeDefKind::Record(record) => Type::Record(
                        record
                            .fields
                            .iter()
                            .map(|field| {
                                Ok(Field {
                                    name: field.name.clone(),
                                    ty: of(&field.ty)?,
                                })
                            })
                            .collect::<Result<Vec<_>, TypeError>>()?
                            .into(),
                    ),
                    TypeDefKind::Tuple(tuple) => Type::Tuple(
                        tuple
                            .types
                            .iter()
                            .map(of)
                            .collect::<Result<Vec<_>, _>>()?
                            .into(),
                    ),
                    TypeDefKind::Variant(variant) => Type::Variant(
                        variant
                            .cases
                            .iter()
                            .map(|case| {
                                Ok(Case {
                                    name: case.name.clone(),
                                    ty: case.ty.as_ref().map(of).transpose()?,
                                })
                            })
                            .collect::<Result<Vec<_>, TypeError>>()?
                            .into(),
                    ),
                    TypeDefKind::Enum(enum_) => Type::Enum(
                        enum_
                            .cases
                            .iter()
                            .map(|case| case.name.clone())
                            .collect::<Vec<_>>()
                            .into(),
                    ),
                    TypeDefKind::Flags(flags) => Type::Flags(
                        flags
                            .flags
                            .iter()
                            .map(|flag| flag.name.clone())
                            .collect::<Vec<_>>()
                            .into(),
                    ),
                    TypeDefKind::Option(some) => Type::Option(Arc::new(of(some)?)),
                    TypeDefKind::Result(result) => Type::Result {
                        ok: result.ok.as_ref().map(of).transpose()?.map(Arc::new),
                        err: result.err.as_ref().map(of).transpose()?.map(Arc::new),
                    },
                    TypeDefKind::List(element) => Type::List(Arc::new(of(element)?)),
                    TypeDefKind::Resource | TypeDefKind::Handle(_) => {
                        let name = def.name.clone().unwrap_or_else(|| "handle".to_owned());
                        Type::Unsupported(format!("resource {name}").into())
                    }
                    TypeDefKind::Map(..) => Type::Unsupported("map".into()),
                    TypeDefKind::FixedLengthList(..) => {
                        Type::Unsupported("fixed-length list".into())
                    }
                    TypeDefKind::Future(_) => Type::Unsupported("future".into()),
                    TypeDefKind::Stream(_) => Type::Unsupported("stream".into()),
                    TypeDefKind::Unknown => {
                        return Err(TypeError::Unresolved(
                            def.name.clone().unwrap_or_else(|| format!("{id:?}")),
                        ));
                    }
                }
            }
        })
    }

    /// The first part of this type that witness cannot carry, if any: what a
    /// function with such a parameter or result is skipped for.
    pub fn unsupported(&self) -> Option<&str> {
        match self {
            Type::Unsupported(what) => Some(what),
            Type::List(inner) | Type::Option(inner) => inner.unsupported(),
            Type::Record(fields) => fields.iter().find_map(|field| field.ty.unsupported()),
            Type::Tuple(types) => types.iter().find_map(Type::unsupported),
            Type::Variant(cases) => cases
                .iter()
                .find_map(|case| case.ty.as_ref()?.unsupported()),
            Type::Result { ok, err } => ok
                .iter()
                .chain(err)
                .find_map(|payload| payload.unsupported()),
            _ => None,
        }
    }
}

impl fmt::Display for Type {
    /// The type in WIT's syntax, with records, variants, enums and flags
    /// written out structurally (`record { a: u8 }`).
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fn list<T>(
            f: &mut fmt::Formatter<'_>,
            items: &[T],
            item: impl Fn(&mut fmt::Formatter<'_>, &T) -> fmt::Result,
        ) -> fmt::Result {
            for (index, each) in items.iter().enumerate() {
                if index > 0 {
                    f.write_str(", ")?;
                }
                item(f, each)?;
            }
            Ok(())
        }
        match self {
            Type::Bool => f.write_str("bool"),
            Type::S8 => f.write_str("s8"),
            Type::S16 => f.write_str("s16"),
            Type::S32 => f.write_str("s32"),
            Type::S64 => f.write_str("s64"),
            Type::U8 => f.write_str("u8"),
            Type::U16 => f.write_str("u16"),
            Type::U32 => f.write_str("u32"),
            Type::U64 => f.write_str("u64"),
            Type::F32 => f.write_str("f32"),
            Type::F64 => f.write_str("f64"),
            Type::Char => f.write_str("char"),
            Type::String => f.write_str("string"),
            Type::List(element) => write!(f, "list<{element}>"),
            Type::Option(some) => write!(f, "option<{some}>"),
            Type::Tuple(types) => {
                f.write_str("tuple<")?;
                list(f, types, |f, ty| write!(f, "{ty}"))?;
                f.write_str(">")
            }
            Type::Record(fields) => {
                f.write_str("record { ")?;
                list(f, fields, |f, field| {
                    write!(f, "{}: {}", field.name, field.ty)
                })?;
                f.write_str(" }")
            }
            Type::Variant(cases) => {
                f.write_str("variant { ")?;
                list(f, cases, |f, case| match &case.ty {
                    Some(ty) => write!(f, "{}({ty})", case.name),
                    None => f.write_str(&case.name),
                })?;
                f.write_str(" }")
            }
            Type::Enum(cases) => {
                f.write_str("enum { ")?;
                list(f, cases, |f, case| f.write_str(case))?;
                f.write_str(" }")
            }
            Type::Flags(flags) => {
                f.write_str("flags { ")?;
                list(f, flags, |f, flag| f.write_str(flag))?;
                f.write_str(" }")
            }
            Type::Result { ok, err } => match (ok, err) {
                (None, None) => f.write_str("result"),
                (Some(ok), None) => write!(f, "result<{ok}>"),
                (None, Some(err)) => write!(f, "result<_, {err}>"),
                (Some(ok), Some(err)) => write!(f, "result<{ok}, {err}>"),
            },
            Type::Unsupported(what) => write!(f, "<{what}>"),
        }
    }
}

/// Where an exported function is: its interface's full name (none for a
/// function the world exports directly) and its name.
#[derive(Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct FunctionKey {
    /// The exported interface, for example `example:json-tools/formatter@1.0.0`.
    pub interface: Option<String>,
    /// The function's name in the WIT, for example `format`.
    pub name: String,
}

impl FunctionKey {
    /// A function `name` of the exported `interface`.
    pub fn new(interface: Option<&str>, name: &str) -> FunctionKey {
        FunctionKey {
            interface: interface.map(str::to_owned),
            name: name.to_owned(),
        }
    }
}

impl fmt::Display for FunctionKey {
    /// `interface#name`, or `name` for a function of the world itself.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match &self.interface {
            Some(interface) => write!(f, "{interface}#{}", self.name),
            None => f.write_str(&self.name),
        }
    }
}

/// An exported function's signature.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct Function {
    /// Where it is exported.
    pub key: FunctionKey,
    /// Its parameters, named as in the WIT.
    pub params: Vec<(String, Type)>,
    /// Its result, if it has one.
    pub result: Option<Type>,
}

impl Function {
    /// Every function that `world` exports, directly or through an exported
    /// interface, in the order of the WIT.
    ///
    /// # Errors
    /// [`TypeError`] when a type of a signature is not resolved.
    pub fn exports(resolve: &Resolve, world: WorldId) -> Result<Vec<Function>, TypeError> {
        let mut functions = Vec::new();
        for (key, item) in &resolve.worlds[world].exports {
            match item {
                WorldItem::Function(function) => {
                    functions.push(Function::from_wit(resolve, None, function)?);
                }
                WorldItem::Interface { id, .. } => {
                    let interface = resolve.name_world_key(key);
                    for function in resolve.interfaces[*id].functions.values() {
                        functions.push(Function::from_wit(resolve, Some(&interface), function)?);
                    }
                }
                WorldItem::Type { .. } => {}
            }
        }
        Ok(functions)
    }

    /// The signature of one WIT function exported in `interface`.
    ///
    /// # Errors
    /// [`TypeError`] when a type of the signature is not resolved.
    pub fn from_wit(
        resolve: &Resolve,
        interface: Option<&str>,
        function: &wit_parser::Function,
    ) -> Result<Function, TypeError> {
        Ok(Function {
            key: FunctionKey::new(interface, &function.name),
            params: function
                .params
                .iter()
                .map(|param| Ok((param.name.clone(), Type::from_wit(resolve, &param.ty)?)))
                .collect::<Result<_, TypeError>>()?,
            result: function
                .result
                .as_ref()
                .map(|ty| Type::from_wit(resolve, ty))
                .transpose()?,
        })
    }

    /// Why witness cannot call this function yet, if it cannot: the first
    /// parameter or result type it cannot carry.
    pub fn unsupported(&self) -> Option<String> {
        let what = self
            .params
            .iter()
            .map(|(_, ty)| ty)
            .chain(&self.result)
            .find_map(Type::unsupported)?;
        let kind = if what.starts_with("resource") {
            "resources are not supported yet"
        } else {
            "this type is not supported yet"
        };
        Some(format!("{kind} ({what} in `{}`)", self.key))
    }

    /// The parameter types, in order.
    pub fn param_types(&self) -> impl ExactSizeIterator<Item = &Type> {
        self.params.iter().map(|(_, ty)| ty)
    }
}

impl fmt::Display for Function {
    /// `name: func(a: T, b: U) -> R`, as in the WIT.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: func(", self.key.name)?;
        for (index, (name, ty)) in self.params.iter().enumerate() {
            if index > 0 {
                f.write_str(", ")?;
            }
            write!(f, "{name}: {ty}")?;
        }
        f.write_str(")")?;
        if let Some(result) = &self.result {
            write!(f, " -> {result}")?;
        }
        Ok(())
    }
}
