//! JSON values seen through Python's eyes: truthiness, `==`, `in`, iteration, `repr`/`str`,
//! and `json.dumps(..., ensure_ascii=False)`.

use crate::pytext::is_printable;
use crate::EvalError;
use serde_json::{Map, Number, Value};

pub(crate) static NULL: Value = Value::Null;

pub(crate) fn type_name(v: &Value) -> &'static str {
    match v {
        Value::Null => "NoneType",
        Value::Bool(_) => "bool",
        Value::Number(n) if n.is_f64() => "float",
        Value::Number(_) => "int",
        Value::String(_) => "str",
        Value::Array(_) => "list",
        Value::Object(_) => "dict",
    }
}

pub(crate) fn malformed(msg: impl Into<String>) -> EvalError {
    EvalError::Malformed(msg.into())
}

/// Python `bool(v)`.
pub(crate) fn truthy(v: &Value) -> bool {
    match v {
        Value::Null => false,
        Value::Bool(b) => *b,
        Value::Number(n) => match num(n) {
            Num::I(i) => i != 0,
            Num::F(f) => f != 0.0,
        },
        Value::String(s) => !s.is_empty(),
        Value::Array(a) => !a.is_empty(),
        Value::Object(o) => !o.is_empty(),
    }
}

#[derive(Clone, Copy)]
pub(crate) enum Num {
    I(i128),
    F(f64),
}

pub(crate) fn num(n: &Number) -> Num {
    if let Some(i) = n.as_i64() {
        Num::I(i as i128)
    } else if let Some(u) = n.as_u64() {
        Num::I(u as i128)
    } else {
        Num::F(n.as_f64().unwrap_or(f64::NAN))
    }
}

fn numeric(v: &Value) -> Option<Num> {
    match v {
        Value::Bool(b) => Some(Num::I(*b as i128)),
        Value::Number(n) => Some(num(n)),
        _ => None,
    }
}

fn int_float_eq(i: i128, f: f64) -> bool {
    f.is_finite() && f.fract() == 0.0 && f.abs() < 1.0e38 && f as i128 == i
}

/// Python `a == b` for values decoded by `json.loads`.
pub(crate) fn py_eq(a: &Value, b: &Value) -> bool {
    if let (Some(x), Some(y)) = (numeric(a), numeric(b)) {
        return match (x, y) {
            (Num::I(p), Num::I(q)) => p == q,
            (Num::F(p), Num::F(q)) => p == q,
            (Num::I(p), Num::F(q)) | (Num::F(q), Num::I(p)) => int_float_eq(p, q),
        };
    }
    match (a, b) {
        (Value::Null, Value::Null) => true,
        (Value::String(x), Value::String(y)) => x == y,
        (Value::Array(x), Value::Array(y)) => {
            x.len() == y.len() && x.iter().zip(y).all(|(p, q)| py_eq(p, q))
        }
        (Value::Object(x), Value::Object(y)) => {
            x.len() == y.len() && x.iter().all(|(k, p)| y.get(k).is_some_and(|q| py_eq(p, q)))
        }
        _ => false,
    }
}

pub(crate) fn py_eq_str(a: &Value, s: &str) -> bool {
    matches!(a, Value::String(x) if x == s)
}

pub(crate) fn hashable(v: &Value) -> bool {
    !matches!(v, Value::Array(_) | Value::Object(_))
}

pub(crate) fn require_hashable(v: &Value) -> Result<(), EvalError> {
    if hashable(v) {
        Ok(())
    } else {
        Err(malformed(format!("unhashable type: '{}'", type_name(v))))
    }
}

/// Python `for x in v`.
pub(crate) fn py_iter(v: &Value) -> Result<Vec<Value>, EvalError> {
    match v {
        Value::Array(a) => Ok(a.clone()),
        Value::String(s) => Ok(s.chars().map(|c| Value::String(c.to_string())).collect()),
        Value::Object(o) => Ok(o.keys().map(|k| Value::String(k.clone())).collect()),
        _ => Err(malformed(format!("'{}' object is not iterable", type_name(v)))),
    }
}

/// Python `for x in (v or [])`.
pub(crate) fn py_iter_or_empty(v: &Value) -> Result<Vec<Value>, EvalError> {
    if truthy(v) {
        py_iter(v)
    } else {
        Ok(Vec::new())
    }
}

/// Python `needle in container`.
pub(crate) fn py_in(needle: &Value, container: &Value) -> Result<bool, EvalError> {
    match container {
        Value::Array(a) => Ok(a.iter().any(|x| py_eq(needle, x))),
        Value::String(s) => match needle {
            Value::String(n) => Ok(s.contains(n.as_str())),
            _ => Err(malformed(format!(
                "'in <string>' requires string as left operand, not {}",
                type_name(needle)
            ))),
        },
        Value::Object(o) => {
            require_hashable(needle)?;
            Ok(matches!(needle, Value::String(n) if o.contains_key(n)))
        }
        _ => Err(malformed(format!(
            "argument of type '{}' is not iterable",
            type_name(container)
        ))),
    }
}

/// `d.get(key)` on a value that must be a dict (`None` when absent).
pub(crate) fn get<'a>(d: &'a Value, key: &str, what: &str) -> Result<&'a Value, EvalError> {
    match d {
        Value::Object(m) => Ok(m.get(key).unwrap_or(&NULL)),
        _ => Err(malformed(format!(
            "{what}: '{}' object has no attribute 'get'",
            type_name(d)
        ))),
    }
}

/// `d[key]` on a value that must be a dict holding `key`.
pub(crate) fn index<'a>(d: &'a Value, key: &str, what: &str) -> Result<&'a Value, EvalError> {
    match d {
        Value::Object(m) => m
            .get(key)
            .ok_or_else(|| malformed(format!("{what}: missing key '{key}'"))),
        _ => Err(malformed(format!(
            "{what}: '{}' object is not subscriptable by '{key}'",
            type_name(d)
        ))),
    }
}

/// `d.get(key)` where `d` is known to be a map.
pub(crate) fn mget<'a>(m: &'a Map<String, Value>, key: &str) -> &'a Value {
    m.get(key).unwrap_or(&NULL)
}

// ---------------------------------------------------------------------------------------
// formatting

/// Python `repr(float)`.
pub fn float_repr(f: f64) -> String {
    if f.is_nan() {
        return "nan".into();
    }
    if f.is_infinite() {
        return if f > 0.0 { "inf".into() } else { "-inf".into() };
    }
    if f == 0.0 {
        return if f.is_sign_negative() { "-0.0".into() } else { "0.0".into() };
    }
    let sign = if f < 0.0 { "-" } else { "" };
    let sci = format!("{:e}", f.abs());
    let (mant, exp) = sci.split_once('e').unwrap_or((&sci, "0"));
    let exp: i32 = exp.parse().unwrap_or(0);
    let digits: String = mant.chars().filter(|c| *c != '.').collect();
    let n = digits.len() as i32;
    let decpt = exp + 1;
    let body = if -4 < decpt && decpt <= 16 {
        if decpt <= 0 {
            format!("0.{}{}", "0".repeat((-decpt) as usize), digits)
        } else if decpt >= n {
            format!("{}{}.0", digits, "0".repeat((decpt - n) as usize))
        } else {
            format!("{}.{}", &digits[..decpt as usize], &digits[decpt as usize..])
        }
    } else {
        let e = decpt - 1;
        let m = if n > 1 { format!("{}.{}", &digits[..1], &digits[1..]) } else { digits.clone() };
        format!("{}e{}{:02}", m, if e < 0 { '-' } else { '+' }, e.abs())
    };
    format!("{sign}{body}")
}

/// Python `round(x, 4)`.
pub fn round4(x: f64) -> f64 {
    if !x.is_finite() {
        return x;
    }
    format!("{x:.4}").parse().unwrap_or(x)
}

fn number_repr(n: &Number) -> String {
    match num(n) {
        Num::I(i) => i.to_string(),
        Num::F(f) => float_repr(f),
    }
}

/// Python `repr(str)`.
pub(crate) fn str_repr(s: &str) -> String {
    let quote = if s.contains('\'') && !s.contains('"') { '"' } else { '\'' };
    let mut out = String::with_capacity(s.len() + 2);
    out.push(quote);
    for c in s.chars() {
        match c {
            _ if c == quote || c == '\\' => {
                out.push('\\');
                out.push(c);
            }
            '\t' => out.push_str("\\t"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            _ if (c as u32) < 0x20 || c as u32 == 0x7f => out.push_str(&format!("\\x{:02x}", c as u32)),
            _ if c.is_ascii() || is_printable(c) => out.push(c),
            _ if (c as u32) <= 0xff => out.push_str(&format!("\\x{:02x}", c as u32)),
            _ if (c as u32) <= 0xffff => out.push_str(&format!("\\u{:04x}", c as u32)),
            _ => out.push_str(&format!("\\U{:08x}", c as u32)),
        }
    }
    out.push(quote);
    out
}

/// Python `repr(v)`.
pub(crate) fn py_repr(v: &Value) -> String {
    match v {
        Value::Null => "None".into(),
        Value::Bool(true) => "True".into(),
        Value::Bool(false) => "False".into(),
        Value::Number(n) => number_repr(n),
        Value::String(s) => str_repr(s),
        Value::Array(a) => format!("[{}]", a.iter().map(py_repr).collect::<Vec<_>>().join(", ")),
        Value::Object(o) => format!(
            "{{{}}}",
            o.iter()
                .map(|(k, v)| format!("{}: {}", str_repr(k), py_repr(v)))
                .collect::<Vec<_>>()
                .join(", ")
        ),
    }
}

/// Python `str(v)` (what an f-string prints).
pub(crate) fn py_str(v: &Value) -> String {
    match v {
        Value::String(s) => s.clone(),
        _ => py_repr(v),
    }
}

/// Python `v[:n]` rendered by an f-string; only str and list can be sliced.
pub(crate) fn py_slice_str(v: &Value, n: usize) -> Result<String, EvalError> {
    match v {
        Value::String(s) => Ok(crate::pytext::take_chars(s, n).to_string()),
        Value::Array(a) => Ok(py_repr(&Value::Array(a.iter().take(n).cloned().collect()))),
        _ => Err(malformed(format!("'{}' object is not subscriptable", type_name(v)))),
    }
}

/// Python `v[0]` for str/list.
pub(crate) fn py_first(v: &Value) -> Result<Value, EvalError> {
    match v {
        Value::String(s) => s
            .chars()
            .next()
            .map(|c| Value::String(c.to_string()))
            .ok_or_else(|| malformed("string index out of range")),
        Value::Array(a) => a.first().cloned().ok_or_else(|| malformed("list index out of range")),
        Value::Object(_) => Err(malformed("KeyError: 0")),
        _ => Err(malformed(format!("'{}' object is not subscriptable", type_name(v)))),
    }
}

/// Python `json.dumps(s, ensure_ascii=False)` for a string.
pub(crate) fn json_str(s: &str, out: &mut String) {
    out.push('"');
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            '\u{8}' => out.push_str("\\b"),
            '\u{c}' => out.push_str("\\f"),
            _ if (c as u32) < 0x20 => out.push_str(&format!("\\u{:04x}", c as u32)),
            _ => out.push(c),
        }
    }
    out.push('"');
}

/// Python `json.dumps(v, ensure_ascii=False)`.
pub(crate) fn json_dumps(v: &Value) -> String {
    let mut out = String::new();
    dump(v, &mut out);
    out
}

pub(crate) fn dump(v: &Value, out: &mut String) {
    match v {
        Value::Null => out.push_str("null"),
        Value::Bool(b) => out.push_str(if *b { "true" } else { "false" }),
        Value::Number(n) => out.push_str(&match num(n) {
            Num::I(i) => i.to_string(),
            Num::F(f) if f.is_nan() => "NaN".into(),
            Num::F(f) if f.is_infinite() => (if f > 0.0 { "Infinity" } else { "-Infinity" }).into(),
            Num::F(f) => float_repr(f),
        }),
        Value::String(s) => json_str(s, out),
        Value::Array(a) => {
            out.push('[');
            for (i, x) in a.iter().enumerate() {
                if i > 0 {
                    out.push_str(", ");
                }
                dump(x, out);
            }
            out.push(']');
        }
        Value::Object(o) => {
            out.push('{');
            for (i, (k, x)) in o.iter().enumerate() {
                if i > 0 {
                    out.push_str(", ");
                }
                json_str(k, out);
                out.push_str(": ");
                dump(x, out);
            }
            out.push('}');
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn float_repr_matches_python() {
        assert_eq!(float_repr(0.9), "0.9");
        assert_eq!(float_repr(1.0), "1.0");
        assert_eq!(float_repr(0.8571), "0.8571");
        assert_eq!(float_repr(0.0), "0.0");
        assert_eq!(float_repr(0.0001), "0.0001");
        assert_eq!(float_repr(0.00001), "1e-05");
        assert_eq!(float_repr(1.5e-7), "1.5e-07");
        assert_eq!(float_repr(1e16), "1e+16");
        assert_eq!(float_repr(1e15), "1000000000000000.0");
        assert_eq!(float_repr(-2.5), "-2.5");
        assert_eq!(float_repr(123.456), "123.456");
    }

    #[test]
    fn round4_matches_python() {
        assert_eq!(round4(6.0 / 7.0), 0.8571);
        assert_eq!(round4(2.0 / 3.0), 0.6667);
        assert_eq!(round4(0.12345), 0.1235); // binary value is above the tie
        assert_eq!(round4(1.0), 1.0);
    }

    #[test]
    fn python_equality_and_truth() {
        assert!(py_eq(&json!(1), &json!(1.0)));
        assert!(py_eq(&json!(true), &json!(1)));
        assert!(!py_eq(&json!(1), &json!("1")));
        assert!(py_eq(&json!({"a": [1, 2.0]}), &json!({"a": [1.0, 2]})));
        assert!(!truthy(&json!(0.0)));
        assert!(!truthy(&json!("")));
        assert!(truthy(&json!([0])));
        assert!(py_in(&json!("ab"), &json!("xaby")).unwrap());
        assert!(py_in(&json!(3), &json!("x")).is_err());
    }

    #[test]
    fn repr_and_dumps() {
        assert_eq!(py_repr(&json!(["a", 1, null, true, 2.5])), "['a', 1, None, True, 2.5]");
        assert_eq!(py_repr(&json!("it's")), "\"it's\"");
        assert_eq!(py_repr(&json!("a\u{200f}b\n")), "'a\\u200fb\\n'");
        assert_eq!(json_dumps(&json!({"a": [1, "\u{0}x\"é"], "b": null})), "{\"a\": [1, \"\\u0000x\\\"é\"], \"b\": null}");
    }
}
