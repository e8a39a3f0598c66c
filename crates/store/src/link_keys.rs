//! Link keys: what incident linking needs of each stored event, in columns beside it (schema
//! version 4, `migrations/0004_link_keys.sql`), so that linking reads the events of the blocks
//! it needs by index and never parses a record. Written with each event; computed again for
//! every event when the database was made before them or under another key format
//! ([`marsad_incidents::key_format`]).
//!
//! # `+?1` in joins
//! Some queries compare a column with `+?1` rather than `?1`: in a join, SQLite marks a
//! statement whose column equals a bare parameter as depending on that parameter's value, and
//! rusqlite's statement cache clears the bindings of a statement it takes back, which then
//! makes SQLite prepare it again at its next use: once per incident, 10% of all the
//! instructions of linking. `+?1` is the same value, and the index is still used.

use crate::StoreError;
use marsad_incidents::event::{Actors, DateClass, LocPrecision, Span, Tally, ROLES};
use marsad_incidents::LinkKey;
use marsad_model::{DatePrecision, EventRecord, Qualifier};
use rusqlite::{params, Connection, OptionalExtension, Row, Transaction};

/// A stored event's link key, with its incident when it has one.
#[derive(Debug, Clone, PartialEq)]
pub struct LinkKeyRow {
    /// The event's row: its stored order.
    pub event_pk: i64,
    /// Its document's row.
    pub doc_pk: i64,
    pub event_id: String,
    pub key: LinkKey,
    /// Its incident, if it has one.
    pub incident: Option<KeyIncident>,
}

/// A stored event in an incident, with what the linker's blocks name of it: enough to tell
/// whether its incident must be read (see `marsad_incidents::Blocks`).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct KeyHit<'a> {
    pub incident_pk: i64,
    pub event_type: &'a str,
    pub admin1: Option<&'a str>,
    pub date: Span,
    /// Its map cell, when it is precisely placed.
    pub cell: Option<(i32, i32)>,
}

/// The columns of a [`KeyHit`], in the order [`read_hit`] reads them.
const HIT_COLUMNS: &str = "m.incident_pk, k.type, k.admin1, k.day_from, k.day_to, k.date_class, k.cell_x, k.cell_y";

fn read_hit<'a>(r: &'a Row<'_>) -> rusqlite::Result<KeyHit<'a>> {
    let text = |i: usize| -> rusqlite::Result<Option<&'a str>> {
        match r.get_ref(i)? {
            rusqlite::types::ValueRef::Text(t) => Ok(std::str::from_utf8(t).ok()),
            _ => Ok(None),
        }
    };
    let cell = match (r.get::<_, Option<i32>>(6)?, r.get::<_, Option<i32>>(7)?) {
        (Some(x), Some(y)) => Some((x, y)),
        _ => None,
    };
    Ok(KeyHit {
        incident_pk: r.get(0)?,
        event_type: text(1)?.unwrap_or_default(),
        admin1: text(2)?,
        // The precision does not matter to the blocks.
        date: Span { from: r.get(3)?, to: r.get(4)?, class: date_class(r.get(5)?), precision: DatePrecision::Unknown },
        cell,
    })
}

/// Where a stored event belongs.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct KeyIncident {
    pub pk: i64,
    pub id: String,
    /// Placed there by a user.
    pub manual: bool,
}

/// The key columns, in the order [`read_row`] reads them (as `k`), then the incident's.
const KEY_COLUMNS: &str = "k.event_pk, k.doc_pk, k.event_id, k.type, k.day_from, k.day_to, k.date_class,
    k.date_precision, k.admin1, k.admin2, k.place, k.place_name, k.location_precision, k.lat, k.lon,
    k.perpetrators, k.perpetrators_suspected, k.perpetrators_unknown, k.targets, k.targets_suspected,
    k.targets_unknown, k.killed, k.injured, k.arrested, k.escaped, k.abducted, k.missing,
    m.incident_pk, i.id, m.manual";

/// The joins that go with [`KEY_COLUMNS`].
const KEY_JOINS: &str = "event_link_keys k
    LEFT JOIN incident_members m ON m.event_pk = k.event_pk
    LEFT JOIN incidents i ON i.pk = m.incident_pk";

fn date_precision_name(p: DatePrecision) -> &'static str {
    match p {
        DatePrecision::Day => "day",
        DatePrecision::Range => "range",
        DatePrecision::Month => "month",
        DatePrecision::Year => "year",
        DatePrecision::OnOrBefore => "on_or_before",
        DatePrecision::Unknown => "unknown",
    }
}

fn date_precision(name: &str) -> DatePrecision {
    match name {
        "day" => DatePrecision::Day,
        "range" => DatePrecision::Range,
        "month" => DatePrecision::Month,
        "year" => DatePrecision::Year,
        "on_or_before" => DatePrecision::OnOrBefore,
        _ => DatePrecision::Unknown,
    }
}

fn location_precision_name(p: LocPrecision) -> &'static str {
    match p {
        LocPrecision::Place => "place",
        LocPrecision::Near => "near",
        LocPrecision::Admin2 => "admin2",
        LocPrecision::Admin1 => "admin1",
        LocPrecision::Region => "region",
        LocPrecision::Country => "country",
        LocPrecision::Unknown => "unknown",
    }
}

const QUALIFIERS: [Qualifier; 6] =
    [Qualifier::Exact, Qualifier::AtLeast, Qualifier::MoreThan, Qualifier::About, Qualifier::UpTo, Qualifier::Some];

/// A count as its column holds it: value * 8 + qualifier, NULL when absent.
fn count_column(t: Tally) -> Option<i64> {
    if t == Tally::NONE {
        return None;
    }
    let q = QUALIFIERS.iter().position(|q| *q == t.qualifier).unwrap_or(0) as i64;
    Some(i64::from(t.value) * 8 + q)
}

fn count_of(column: Option<i64>) -> Tally {
    match column {
        None => Tally::NONE,
        Some(v) => Tally {
            value: u32::try_from(v / 8).unwrap_or(Tally::SOME),
            qualifier: QUALIFIERS.get((v % 8) as usize).copied().unwrap_or(Qualifier::Exact),
        },
    }
}

fn date_class_code(c: DateClass) -> i64 {
    match c {
        DateClass::Sharp => 0,
        DateClass::Loose => 1,
        DateClass::Unknown => 2,
    }
}

fn date_class(code: i64) -> DateClass {
    match code {
        0 => DateClass::Sharp,
        1 => DateClass::Loose,
        _ => DateClass::Unknown,
    }
}

fn read_row(r: &Row<'_>) -> rusqlite::Result<LinkKeyRow> {
    let actors = |named: i64, suspected: i64, unknown: i64| Actors {
        named: named as u32,
        suspected: suspected as u32,
        unknown: unknown != 0,
    };
    let mut counts = [Tally::NONE; 6];
    for (k, c) in counts.iter_mut().enumerate() {
        *c = count_of(r.get(21 + k)?);
    }
    let precision: String = r.get(7)?;
    let location: String = r.get(12)?;
    let key = LinkKey {
        event_type: r.get(3)?,
        date: Span {
            from: r.get(4)?,
            to: r.get(5)?,
            class: date_class(r.get(6)?),
            precision: date_precision(&precision),
        },
        admin1: r.get(8)?,
        admin2: r.get(9)?,
        place: r.get(10)?,
        place_name: r.get(11)?,
        loc: LocPrecision::parse(&location),
        lat: r.get(13)?,
        lon: r.get(14)?,
        perps: actors(r.get(15)?, r.get(16)?, r.get(17)?),
        targets: actors(r.get(18)?, r.get(19)?, r.get(20)?),
        counts,
    };
    let incident = match r.get::<_, Option<i64>>(27)? {
        Some(pk) => Some(KeyIncident {
            pk,
            id: r.get::<_, Option<String>>(28)?.unwrap_or_default(),
            manual: r.get::<_, Option<i64>>(29)?.unwrap_or(0) != 0,
        }),
        None => None,
    };
    Ok(LinkKeyRow { event_pk: r.get(0)?, doc_pk: r.get(1)?, event_id: r.get(2)?, key, incident })
}

/// Writes the link key of an event stored as `event_pk`, pending (not in an incident).
pub(crate) fn insert(tx: &Connection, event_pk: i64, doc_pk: i64, ev: &EventRecord) -> Result<(), StoreError> {
    let key = LinkKey::of(ev);
    let cell = key.cell();
    let c = key.counts;
    tx.prepare_cached(
        "INSERT INTO event_link_keys (event_pk, doc_pk, event_id, type, day_from, day_to, date_class,
             date_precision, admin1, admin2, place, place_name, location_precision, lat, lon, cell_x, cell_y,
             perpetrators, perpetrators_suspected, perpetrators_unknown, targets, targets_suspected,
             targets_unknown, killed, injured, arrested, escaped, abducted, missing)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16, ?17, ?18, ?19, ?20,
                 ?21, ?22, ?23, ?24, ?25, ?26, ?27, ?28, ?29)",
    )?
    .execute(params![
        event_pk,
        doc_pk,
        ev.id,
        key.event_type,
        key.date.from,
        key.date.to,
        date_class_code(key.date.class),
        date_precision_name(key.date.precision),
        key.admin1,
        key.admin2,
        key.place,
        key.place_name,
        location_precision_name(key.loc),
        key.lat,
        key.lon,
        cell.map(|c| c.0),
        cell.map(|c| c.1),
        i64::from(key.perps.named),
        i64::from(key.perps.suspected),
        i64::from(key.perps.unknown),
        i64::from(key.targets.named),
        i64::from(key.targets.suspected),
        i64::from(key.targets.unknown),
        count_column(c[0]),
        count_column(c[1]),
        count_column(c[2]),
        count_column(c[3]),
        count_column(c[4]),
        count_column(c[5]),
    ])?;
    tx.prepare_cached("INSERT INTO link_pending (event_pk) VALUES (?1)")?.execute([event_pk])?;
    Ok(())
}

/// Computes the keys again when they were written under another format (or not at all: a
/// database from before schema version 4). Returns how many events' records could not be read
/// (they have no key, so linking leaves them out, as it always did).
pub(crate) fn ensure_format(conn: &mut Connection) -> Result<usize, StoreError> {
    debug_assert_eq!(ROLES.len(), 6, "one count column per role");
    let format = marsad_incidents::key_format();
    let stored: Option<String> =
        conn.query_row("SELECT format FROM link_key_format LIMIT 1", [], |r| r.get(0)).optional()?;
    if stored.as_deref() == Some(format.as_str()) {
        return Ok(0);
    }
    let tx = conn.transaction()?;
    let unreadable = rebuild(&tx)?;
    tx.execute("DELETE FROM link_key_format", [])?;
    tx.execute("INSERT INTO link_key_format (format) VALUES (?1)", [&format])?;
    tx.commit()?;
    Ok(unreadable)
}

fn rebuild(tx: &Transaction<'_>) -> Result<usize, StoreError> {
    tx.execute("DELETE FROM event_link_keys", [])?;
    tx.execute("DELETE FROM link_pending", [])?;
    let mut unreadable = 0;
    let mut stmt = tx.prepare(
        "SELECT e.pk, e.doc_pk, e.record FROM events e JOIN documents d ON d.pk = e.doc_pk
         WHERE d.status = 'ok' ORDER BY e.pk",
    )?;
    let mut rows = stmt.query([])?;
    while let Some(r) = rows.next()? {
        let (event_pk, doc_pk, record): (i64, i64, String) = (r.get(0)?, r.get(1)?, r.get(2)?);
        match serde_json::from_str::<EventRecord>(&record) {
            Ok(ev) => insert(tx, event_pk, doc_pk, &ev)?,
            Err(_) => unreadable += 1,
        }
    }
    tx.execute("DELETE FROM link_pending WHERE event_pk IN (SELECT event_pk FROM incident_members)", [])?;
    Ok(unreadable)
}

/// The first pending events in stored order: at least `limit` (when there are so many), and
/// then the rest of the last one's document, so that a document is linked in one piece.
pub(crate) fn pending(conn: &Connection, limit: usize) -> Result<Vec<LinkKeyRow>, StoreError> {
    let mut stmt = conn.prepare_cached(&format!(
        "SELECT {KEY_COLUMNS} FROM link_pending p
         JOIN event_link_keys k ON k.event_pk = p.event_pk
         LEFT JOIN incident_members m ON m.event_pk = k.event_pk
         LEFT JOIN incidents i ON i.pk = m.incident_pk
         ORDER BY p.event_pk"
    ))?;
    let mut rows = stmt.query([])?;
    let mut out: Vec<LinkKeyRow> = Vec::new();
    while let Some(r) = rows.next()? {
        let row = read_row(r)?;
        if out.len() >= limit && out.last().is_some_and(|last| last.doc_pk != row.doc_pk) {
            break;
        }
        out.push(row);
    }
    Ok(out)
}

/// Calls `f` with every event in an incident whose date is sharp and meets `from..=to`.
pub(crate) fn linked_on_days(
    conn: &Connection,
    from: i32,
    to: i32,
    f: &mut dyn FnMut(KeyHit<'_>) -> Result<(), StoreError>,
) -> Result<(), StoreError> {
    // A sharp date spans at most SHARP_SPAN_DAYS: the index on day_from finds them all.
    let mut stmt = conn.prepare_cached(&format!(
        "SELECT {HIT_COLUMNS} FROM event_link_keys k JOIN incident_members m ON m.event_pk = k.event_pk
         WHERE k.date_class = 0 AND k.day_from BETWEEN ?1 AND ?2 AND k.day_to >= ?3"
    ))?;
    let low = from - marsad_incidents::event::SHARP_SPAN_DAYS;
    let mut rows = stmt.query(params![low, to, from])?;
    while let Some(r) = rows.next()? {
        f(read_hit(r)?)?;
    }
    Ok(())
}

/// Calls `f` with every precisely placed event in an incident in a map cell.
pub(crate) fn linked_in_cell(
    conn: &Connection,
    cell: (i32, i32),
    f: &mut dyn FnMut(KeyHit<'_>) -> Result<(), StoreError>,
) -> Result<(), StoreError> {
    let mut stmt = conn.prepare_cached(&format!(
        "SELECT {HIT_COLUMNS} FROM event_link_keys k JOIN incident_members m ON m.event_pk = k.event_pk
         WHERE k.cell_x = +?1 AND k.cell_y = +?2"
    ))?;
    let mut rows = stmt.query(params![cell.0, cell.1])?;
    while let Some(r) = rows.next()? {
        f(read_hit(r)?)?;
    }
    Ok(())
}

/// The members of an incident with their keys, in stored order.
pub(crate) fn of_incident(conn: &Connection, incident_pk: i64) -> Result<Vec<LinkKeyRow>, StoreError> {
    let mut stmt = conn.prepare_cached(&format!(
        "SELECT {KEY_COLUMNS} FROM incident_members m
         JOIN event_link_keys k ON k.event_pk = m.event_pk
         JOIN incidents i ON i.pk = m.incident_pk
         WHERE m.incident_pk = +?1 ORDER BY k.event_pk"
    ))?;
    let rows = stmt.query_map([incident_pk], read_row)?;
    Ok(rows.collect::<Result<_, _>>()?)
}

/// Calls `f` with every stored key, in stored order.
pub(crate) fn all(conn: &Connection, f: &mut dyn FnMut(LinkKeyRow) -> Result<(), StoreError>) -> Result<(), StoreError> {
    let mut stmt = conn.prepare(&format!("SELECT {KEY_COLUMNS} FROM {KEY_JOINS} ORDER BY k.event_pk"))?;
    let mut rows = stmt.query([])?;
    while let Some(r) = rows.next()? {
        f(read_row(r)?)?;
    }
    Ok(())
}
