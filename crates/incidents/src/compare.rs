//! Comparing two events: the signals that say they tell one happening, the vetoes that say
//! they cannot, and the rules that decide (see the crate documentation).

use crate::day;
use crate::event::{DateClass, Events, LinkEvent, LocPrecision, Span, ROLES};
use crate::taxonomy;
use marsad_model::{LinkSignal, Qualifier};

/// Why two events cannot be one incident.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Veto {
    /// Both come from one document: the extractor already keeps one document's incidents apart.
    SameDocument,
    /// Types of different families (an attack and the prison break it caused).
    Family,
    /// Different governorates.
    Governorate,
    /// Dates that do not meet (days between them).
    Dates { gap: i32 },
    /// Precise places farther apart than their precision allows.
    Distance { km: f32, window: f32 },
    /// Different districts.
    District,
    /// Named perpetrators that are neither the same nor allies (bits of each side).
    Perpetrators { a: u32, b: u32 },
}

impl Veto {
    pub fn describe(&self) -> String {
        match self {
            Veto::SameDocument => "same document".into(),
            Veto::Family => "types of different families".into(),
            Veto::Governorate => "different governorates".into(),
            Veto::Dates { gap } => format!("dates {gap} days apart"),
            Veto::Distance { km, window } => format!("{km:.1} km apart (window {window:.0} km)"),
            Veto::District => "different districts".into(),
            Veto::Perpetrators { a, b } => format!(
                "perpetrators differ: {} vs {}",
                taxonomy::actor_names(*a).join("+"),
                taxonomy::actor_names(*b).join("+")
            ),
        }
    }
}

/// How two dates meet.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum DateMatch {
    /// Both the same single day.
    SameDay,
    /// Sharp dates (days or short ranges) that overlap.
    Overlap,
    /// Sharp dates a day apart (a night attack told as "yesterday" and "this morning").
    Adjacent,
    /// A loose date (month, long range, on or before a report) that holds a sharp one.
    Within,
    /// Two loose dates that meet.
    Loose,
    /// One side has no date.
    Unknown,
}

impl DateMatch {
    pub fn score(self) -> f32 {
        match self {
            DateMatch::SameDay => 1.0,
            DateMatch::Overlap => 0.8,
            DateMatch::Adjacent => 0.6,
            DateMatch::Within => 0.3,
            DateMatch::Loose => 0.1,
            DateMatch::Unknown => 0.0,
        }
    }

    /// Both dates sharp and within a day of each other.
    pub fn sharp(self) -> bool {
        matches!(self, DateMatch::SameDay | DateMatch::Overlap | DateMatch::Adjacent)
    }
}

/// How two places meet.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum PlaceMatch {
    /// The same gazetteer place (or the same unresolved name in one governorate).
    SamePlace,
    /// Precise places within 2 km.
    Close(f32),
    /// Precise places within the window of their precision.
    Window(f32),
    /// The same district, one side no finer than a district.
    District,
    /// The same governorate only.
    Governorate,
    /// A region of the same governorate.
    Region,
    /// One side has no governorate.
    Unknown,
}

impl PlaceMatch {
    pub fn score(self) -> f32 {
        match self {
            PlaceMatch::SamePlace => 1.0,
            PlaceMatch::Close(_) => 0.9,
            PlaceMatch::Window(_) => 0.7,
            PlaceMatch::District => 0.4,
            PlaceMatch::Governorate => 0.2,
            PlaceMatch::Region => 0.1,
            PlaceMatch::Unknown => 0.0,
        }
    }

    /// Strong enough to carry a link on its own: the same spot.
    pub fn strong(self) -> bool {
        self.score() >= 0.7
    }
}

/// How the actors on one side (or, for clashes, all actors) meet.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum SideMatch {
    /// Actors in common; `sure` when one of them is named without "suspected" on both sides.
    Same { common: u32, sure: bool },
    /// Allies (SDF and coalition, government and its backers, Turkey and the SNA).
    Allied,
    /// One side names only unidentified actors.
    Unidentified,
    /// One side names nobody.
    Missing,
    /// Different named actors.
    Differ { a: u32, b: u32 },
}

/// How the counts meet (the best role).
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum CountMatch {
    Equal { role: u8, value: u32 },
    /// Different but compatible (within a factor of two, or a lower bound below the other).
    Close { role: u8, a: u32, b: u32 },
    /// Far apart: more than four times and more than five apart.
    Far { role: u8, a: u32, b: u32 },
    None,
}

/// Which rule allowed a link (crate documentation, "Rules").
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Rule {
    DatedPlace,
    DatedArea,
    UndatedPlace,
    /// Like `DatedArea` without an equal toll: allowed only when one incident of the block
    /// qualifies (see [`Comparison::unique_rule`]).
    DatedAreaUnique,
}

impl Rule {
    pub fn name(self) -> &'static str {
        match self {
            Rule::DatedPlace => "dated-place",
            Rule::DatedArea => "dated-area",
            Rule::UndatedPlace => "undated-place",
            Rule::DatedAreaUnique => "dated-area-unique",
        }
    }
}

/// Everything a comparison found.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Comparison {
    pub veto: Option<Veto>,
    pub type_score: f32,
    pub date: DateMatch,
    pub place: PlaceMatch,
    /// For clashes (no initiator): all actors of each side compared as one set.
    pub symmetric: bool,
    pub perps: SideMatch,
    pub targets: SideMatch,
    pub count: CountMatch,
    pub far: CountMatch,
}

impl Comparison {
    fn vetoed(v: Veto) -> Comparison {
        Comparison {
            veto: Some(v),
            type_score: 0.0,
            date: DateMatch::Unknown,
            place: PlaceMatch::Unknown,
            symmetric: false,
            perps: SideMatch::Missing,
            targets: SideMatch::Missing,
            count: CountMatch::None,
            far: CountMatch::None,
        }
    }

    fn side_score(&self, m: SideMatch, perpetrators: bool) -> f32 {
        match m {
            SideMatch::Same { common, sure } if self.symmetric => {
                let n = common.count_ones() as f32;
                (0.4 * n).min(0.8) * if sure { 1.0 } else { 0.7 }
            }
            SideMatch::Same { sure: true, .. } => 0.5,
            SideMatch::Same { sure: false, .. } => 0.35,
            SideMatch::Allied => 0.25,
            SideMatch::Unidentified | SideMatch::Missing => 0.0,
            SideMatch::Differ { a, b } => {
                let civ = taxonomy::civilians_bit();
                if !perpetrators && (a & civ != 0 || b & civ != 0) {
                    -0.15
                } else {
                    -0.3
                }
            }
        }
    }

    pub fn perps_score(&self) -> f32 {
        self.side_score(self.perps, true)
    }

    pub fn targets_score(&self) -> f32 {
        self.side_score(self.targets, false)
    }

    pub fn count_score(&self) -> f32 {
        let pos = match self.count {
            CountMatch::Equal { .. } => 0.3,
            CountMatch::Close { .. } => 0.1,
            _ => 0.0,
        };
        let neg = if matches!(self.far, CountMatch::Far { .. }) { -0.4 } else { 0.0 };
        pos + neg
    }

    /// The sum of the signals: how strongly the two events look like one happening.
    pub fn score(&self) -> f32 {
        if self.veto.is_some() {
            return f32::NEG_INFINITY;
        }
        self.type_score
            + self.date.score()
            + self.place.score()
            + self.perps_score()
            + self.targets_score()
            + self.count_score()
    }

    /// The same named perpetrator on both sides (for clashes: an actor in common).
    fn perpetrator_named(&self) -> bool {
        matches!(self.perps, SideMatch::Same { .. })
    }

    /// The same target (for clashes: two actors in common).
    fn target_named(&self) -> bool {
        if self.symmetric {
            matches!(self.perps, SideMatch::Same { common, .. } if common.count_ones() >= 2)
        } else {
            matches!(self.targets, SideMatch::Same { .. })
        }
    }

    /// The rule that allows linking the two events, if any.
    pub fn rule(&self) -> Option<Rule> {
        if self.veto.is_some() {
            return None;
        }
        let equal_toll = matches!(self.count, CountMatch::Equal { .. });
        let far = matches!(self.far, CountMatch::Far { .. });
        if self.date.sharp() {
            if self.place.strong() && self.type_score >= 0.5 {
                return Some(Rule::DatedPlace);
            }
            let same_day_district =
                self.date == DateMatch::SameDay && self.place == PlaceMatch::District && self.target_named();
            if self.type_score >= 0.7 && self.perpetrator_named() && !far && (equal_toll || same_day_district) {
                return Some(Rule::DatedArea);
            }
            return None;
        }
        // Without a date the place must be the same place, or, for the very same type, a
        // place within the window of its precision (a prison and the town it is in).
        let same_spot = self.place == PlaceMatch::SamePlace
            || (matches!(self.place, PlaceMatch::Close(_) | PlaceMatch::Window(_)) && self.type_score >= 1.0);
        // At the very same place the perpetrator may carry the actors alone, unless the
        // targets contradict (other named sides; civilians against a force is how outlets
        // differ, not a contradiction).
        let same_place_quiet_targets = self.place == PlaceMatch::SamePlace && !self.targets_contradict();
        if same_spot
            && self.type_score >= 0.6
            && self.perpetrator_named()
            && !far
            && (self.target_named() || equal_toll || same_place_quiet_targets)
        {
            return Some(Rule::UndatedPlace);
        }
        None
    }

    /// The targets are different named sides, neither of them civilians.
    fn targets_contradict(&self) -> bool {
        let civ = taxonomy::civilians_bit();
        matches!(self.targets, SideMatch::Differ { a, b } if a & civ == 0 && b & civ == 0)
    }

    /// A weaker rule, for an event that no incident qualifies for by [`rule`](Self::rule):
    /// sharp dates that overlap, only a district, governorate or region in common (or no place
    /// on one side), closely compatible types, the same named perpetrator and the same target,
    /// no far-apart tolls. The linker uses it only when exactly one incident qualifies: a
    /// report that names only the governorate then joins the one incident of that day, type and
    /// actors there, and joins none when there are two.
    pub fn unique_rule(&self) -> Option<Rule> {
        if self.veto.is_some() || self.place.strong() || matches!(self.far, CountMatch::Far { .. }) {
            return None;
        }
        let dates = matches!(self.date, DateMatch::SameDay | DateMatch::Overlap);
        (dates && self.type_score >= 0.7 && self.perpetrator_named() && self.target_named())
            .then_some(Rule::DatedAreaUnique)
    }

    /// The signals in words, for the explanation of a link between `a` and `b`.
    pub fn signals(&self, a: &LinkEvent, b: &LinkEvent, events: &Events) -> Vec<LinkSignal> {
        let mut out = Vec::new();
        let mut push = |signal: &str, score: f32, detail: String| {
            out.push(LinkSignal { signal: signal.into(), score: (score * 100.0).round() / 100.0, detail })
        };
        if let Some(v) = self.veto {
            push("veto", 0.0, v.describe());
            return out;
        }
        let (ta, tb) = (events.type_name(a.etype), events.type_name(b.etype));
        let ty = if ta == tb { format!("both {ta}") } else { format!("{ta} ~ {tb}") };
        push("type", self.type_score, ty);
        let date = match self.date {
            DateMatch::SameDay => format!("same day {}", day::format(a.date.from)),
            DateMatch::Overlap => format!("{} overlaps {}", span_words(a.date), span_words(b.date)),
            DateMatch::Adjacent => format!("a day apart: {} / {}", span_words(a.date), span_words(b.date)),
            DateMatch::Within => format!("{} holds {}", loose_of(a.date, b.date), sharp_of(a.date, b.date)),
            DateMatch::Loose => format!("loose dates meet: {} / {}", span_words(a.date), span_words(b.date)),
            DateMatch::Unknown => {
                let known = if a.date.class == DateClass::Unknown { b.date } else { a.date };
                if known.class == DateClass::Unknown {
                    "both dates unknown".into()
                } else {
                    format!("date unknown on one side; the other says {}", span_words(known))
                }
            }
        };
        push("date", self.date.score(), date);
        let place_name = |e: &LinkEvent| events.place_name(e.place).to_string();
        let place = match self.place {
            PlaceMatch::SamePlace => format!("same place {}", place_name(a)),
            PlaceMatch::Close(km) | PlaceMatch::Window(km) => {
                format!("{km:.1} km apart ({} / {})", place_name(a), place_name(b))
            }
            PlaceMatch::District => format!("same district {}", events.names.name(a.admin2)),
            PlaceMatch::Governorate => format!("same governorate {}", events.names.name(a.admin1)),
            PlaceMatch::Region => format!("region of governorate {}", events.names.name(a.admin1)),
            PlaceMatch::Unknown => "place unknown on one side".into(),
        };
        push("place", self.place.score(), place);
        let side_words = |m: SideMatch| match m {
            SideMatch::Same { common, sure } => {
                format!("{}{}", taxonomy::actor_names(common).join("+"), if sure { "" } else { " (suspected)" })
            }
            SideMatch::Allied => "allies".into(),
            SideMatch::Unidentified => "unidentified on one side".into(),
            SideMatch::Missing => "not named on one side".into(),
            SideMatch::Differ { a, b } => format!(
                "differ: {} vs {}",
                taxonomy::actor_names(a).join("+"),
                taxonomy::actor_names(b).join("+")
            ),
        };
        if self.symmetric {
            push("actors", self.perps_score(), format!("sides: {}", side_words(self.perps)));
        } else {
            push("perpetrators", self.perps_score(), side_words(self.perps));
            push("targets", self.targets_score(), side_words(self.targets));
        }
        let count = match (self.count, self.far) {
            (_, CountMatch::Far { role, a, b }) => format!("{} {a} vs {b}: far apart", ROLES[role as usize]),
            (CountMatch::Equal { role, value }, _) => format!("{} {value} = {value}", ROLES[role as usize]),
            (CountMatch::Close { role, a, b }, _) => format!("{} {a} vs {b}: compatible", ROLES[role as usize]),
            _ => "no number to compare".into(),
        };
        push("counts", self.count_score(), count);
        out
    }
}

fn span_words(s: Span) -> String {
    match s.class {
        DateClass::Unknown => "unknown".into(),
        _ if s.precision == marsad_model::DatePrecision::OnOrBefore => format!("on or before {}", day::format(s.to)),
        _ if s.from == s.to => day::format(s.from),
        _ => format!("{}..{}", day::format(s.from), day::format(s.to)),
    }
}

fn loose_of(a: Span, b: Span) -> String {
    span_words(if a.class == DateClass::Loose { a } else { b })
}

fn sharp_of(a: Span, b: Span) -> String {
    span_words(if a.class == DateClass::Sharp { a } else { b })
}

/// Kilometres between two points (equirectangular: exact enough within a governorate).
pub fn distance_km(lat1: f32, lon1: f32, lat2: f32, lon2: f32) -> f32 {
    let mean = ((lat1 + lat2) * 0.5).to_radians();
    let dx = (lon2 - lon1) * mean.cos() * 111.32;
    let dy = (lat2 - lat1) * 110.57;
    (dx * dx + dy * dy).sqrt()
}

fn dates(a: Span, b: Span) -> Result<DateMatch, Veto> {
    if a.class == DateClass::Unknown || b.class == DateClass::Unknown {
        return Ok(DateMatch::Unknown);
    }
    let gap = (a.from - b.to).max(b.from - a.to).max(0);
    if gap > 1 {
        return Err(Veto::Dates { gap });
    }
    Ok(match (a.class, b.class) {
        (DateClass::Sharp, DateClass::Sharp) if gap == 1 => DateMatch::Adjacent,
        (DateClass::Sharp, DateClass::Sharp) if a.from == a.to && b.from == b.to && a.from == b.from => {
            DateMatch::SameDay
        }
        (DateClass::Sharp, DateClass::Sharp) => DateMatch::Overlap,
        (DateClass::Loose, DateClass::Loose) => DateMatch::Loose,
        _ => DateMatch::Within,
    })
}

fn places(a: &LinkEvent, b: &LinkEvent) -> Result<PlaceMatch, Veto> {
    if a.admin1 == 0 || b.admin1 == 0 {
        return Ok(PlaceMatch::Unknown);
    }
    if a.admin1 != b.admin1 {
        return Err(Veto::Governorate);
    }
    if a.place != 0 && a.place == b.place {
        return Ok(PlaceMatch::SamePlace);
    }
    if a.precise() && b.precise() {
        let km = distance_km(a.lat, a.lon, b.lat, b.lon);
        let window = a.loc.window_km().max(b.loc.window_km());
        return if km <= 2.0 {
            Ok(PlaceMatch::Close(km))
        } else if km <= window {
            Ok(PlaceMatch::Window(km))
        } else {
            Err(Veto::Distance { km, window })
        };
    }
    if a.loc <= LocPrecision::Admin2 && b.loc <= LocPrecision::Admin2 && a.admin2 != 0 && b.admin2 != 0 {
        return if a.admin2 == b.admin2 { Ok(PlaceMatch::District) } else { Err(Veto::District) };
    }
    if a.loc == LocPrecision::Region || b.loc == LocPrecision::Region {
        return Ok(PlaceMatch::Region);
    }
    Ok(PlaceMatch::Governorate)
}

fn side(a: crate::event::Actors, b: crate::event::Actors) -> SideMatch {
    if a.named == 0 || b.named == 0 {
        let said = |x: crate::event::Actors| x.unknown || x.named != 0;
        return if said(a) && said(b) { SideMatch::Unidentified } else { SideMatch::Missing };
    }
    let common = a.named & b.named;
    if common != 0 {
        return SideMatch::Same { common, sure: common & !(a.suspected | b.suspected) != 0 };
    }
    if taxonomy::allied(a.named, b.named) {
        return SideMatch::Allied;
    }
    SideMatch::Differ { a: a.named, b: b.named }
}

fn counts(a: &LinkEvent, b: &LinkEvent) -> (CountMatch, CountMatch) {
    let mut best = CountMatch::None;
    let mut far = CountMatch::None;
    for (role, (&x, &y)) in a.counts.iter().zip(&b.counts).enumerate() {
        // Six roles: the index fits a byte (and keeps a comparison small to copy).
        let role = role as u8;
        let (Some(vx), Some(vy)) = (x.number(), y.number()) else { continue };
        if vx == vy {
            if !matches!(best, CountMatch::Equal { .. }) {
                best = CountMatch::Equal { role, value: vx };
            }
            continue;
        }
        let (lo, hi) = if vx < vy { (x, y) } else { (y, x) };
        let (l, h) = (lo.value, hi.value);
        let open = matches!(lo.qualifier, Qualifier::AtLeast | Qualifier::MoreThan) || hi.qualifier == Qualifier::UpTo;
        if open || h <= 2 * l || h - l <= 2 {
            if best == CountMatch::None {
                best = CountMatch::Close { role, a: vx, b: vy };
            }
        } else if h >= 4 * l.max(1) && h - l >= 5 && far == CountMatch::None {
            far = CountMatch::Far { role, a: vx, b: vy };
        }
    }
    (best, far)
}

/// Compares two events (see the crate documentation for what each signal weighs).
pub fn compare(a: &LinkEvent, b: &LinkEvent) -> Comparison {
    if a.doc == b.doc {
        return Comparison::vetoed(Veto::SameDocument);
    }
    if a.family != b.family {
        return Comparison::vetoed(Veto::Family);
    }
    let date = match dates(a.date, b.date) {
        Ok(d) => d,
        Err(v) => return Comparison::vetoed(v),
    };
    let place = match places(a, b) {
        Ok(p) => p,
        Err(v) => return Comparison::vetoed(v),
    };
    let symmetric = taxonomy::symmetric(a.etype) || taxonomy::symmetric(b.etype);
    let (perps, targets) = if symmetric {
        let all = |e: &LinkEvent| {
            let sure = (e.perps.named & !e.perps.suspected) | (e.targets.named & !e.targets.suspected);
            crate::event::Actors {
                named: e.perps.named | e.targets.named,
                suspected: (e.perps.suspected | e.targets.suspected) & !sure,
                unknown: e.perps.unknown || e.targets.unknown,
            }
        };
        (side(all(a), all(b)), SideMatch::Missing)
    } else {
        let p = side(a.perps, b.perps);
        if let SideMatch::Differ { a: pa, b: pb } = p {
            let all_suspected = a.perps.named == a.perps.suspected || b.perps.named == b.perps.suspected;
            if !all_suspected {
                return Comparison::vetoed(Veto::Perpetrators { a: pa, b: pb });
            }
        }
        (p, side(a.targets, b.targets))
    };
    let (count, far) = counts(a, b);
    Comparison {
        veto: None,
        type_score: taxonomy::type_compat(a.etype, b.etype),
        date,
        place,
        symmetric,
        perps,
        targets,
        count,
        far,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::event::{Actors, Tally};
    use crate::taxonomy::{actor_bit, family, type_id};

    fn ev(doc: u32, t: &str, day: i32, place: u32, lat: f32, lon: f32) -> LinkEvent {
        let etype = type_id(t).expect(t);
        LinkEvent {
            seq: doc as u64,
            doc,
            etype,
            family: family(etype),
            date: Span { from: day, to: day, class: DateClass::Sharp, precision: marsad_model::DatePrecision::Day },
            admin1: 1,
            admin2: 2,
            place,
            lat,
            lon,
            loc: LocPrecision::Place,
            perps: Actors { named: actor_bit("ISIS").unwrap(), suspected: 0, unknown: false },
            targets: Actors { named: actor_bit("SDF").unwrap(), suspected: 0, unknown: false },
            counts: [Tally::NONE; 6],
        }
    }

    #[test]
    fn attack_and_bombing_of_one_prison_one_day_link_prison_break_does_not() {
        let a = ev(1, "armed_attack", 100, 7, 36.47, 40.74);
        let b = ev(2, "bombing", 100, 7, 36.47, 40.74);
        let c = compare(&a, &b);
        assert_eq!(c.rule(), Some(Rule::DatedPlace), "{c:?}");
        assert_eq!(c.date, DateMatch::SameDay);
        let p = ev(3, "prison_break", 100, 7, 36.47, 40.74);
        assert_eq!(compare(&a, &p).veto, Some(Veto::Family));
    }

    #[test]
    fn next_week_and_other_town_are_vetoed() {
        let a = ev(1, "armed_attack", 100, 7, 35.00, 40.00);
        let week = ev(2, "armed_attack", 107, 7, 35.00, 40.00);
        assert_eq!(compare(&a, &week).veto, Some(Veto::Dates { gap: 7 }));
        let other = ev(3, "armed_attack", 100, 8, 35.20, 40.00);
        assert!(matches!(compare(&a, &other).veto, Some(Veto::Distance { .. })));
        let same_doc = ev(1, "bombing", 100, 7, 35.00, 40.00);
        assert_eq!(compare(&a, &same_doc).veto, Some(Veto::SameDocument));
        let mut other_gov = ev(4, "armed_attack", 100, 7, 35.00, 40.00);
        other_gov.admin1 = 9;
        assert_eq!(compare(&a, &other_gov).veto, Some(Veto::Governorate));
    }

    #[test]
    fn night_attack_told_as_two_days_and_a_neighbourhood_links() {
        let a = ev(1, "armed_attack", 100, 7, 36.474, 40.742);
        let b = ev(2, "armed_attack", 101, 9, 36.5117, 40.7573);
        let c = compare(&a, &b);
        assert_eq!(c.date, DateMatch::Adjacent);
        assert!(matches!(c.place, PlaceMatch::Window(km) if km > 4.0 && km < 5.0), "{c:?}");
        assert_eq!(c.rule(), Some(Rule::DatedPlace));
    }

    #[test]
    fn undated_needs_place_type_and_actors() {
        let a = ev(1, "armed_attack", 100, 7, 36.47, 40.74);
        let mut u = ev(2, "armed_attack", 0, 7, 36.47, 40.74);
        u.date = Span::UNKNOWN;
        assert_eq!(compare(&a, &u).rule(), Some(Rule::UndatedPlace));
        // unidentified perpetrators are not enough without a date
        u.perps = Actors { named: 0, suspected: 0, unknown: true };
        assert_eq!(compare(&a, &u).rule(), None);
        // a neighbouring place 4 km away needs the very same type
        let mut w = ev(4, "bombing", 0, 9, 36.47 + 0.036, 40.74);
        w.date = Span::UNKNOWN;
        assert!(matches!(compare(&a, &w).place, PlaceMatch::Window(_)));
        assert_eq!(compare(&a, &w).rule(), None);
        w.etype = type_id("armed_attack").unwrap();
        assert_eq!(compare(&a, &w).rule(), Some(Rule::UndatedPlace));
        // nor is a governorate
        let mut v = ev(3, "armed_attack", 0, 0, f32::NAN, f32::NAN);
        v.date = Span::UNKNOWN;
        v.loc = LocPrecision::Admin1;
        assert_eq!(compare(&a, &v).rule(), None);
    }

    #[test]
    fn perpetrators_veto_but_allies_and_suspects_do_not() {
        let a = ev(1, "armed_attack", 100, 7, 36.47, 40.74);
        let mut b = ev(2, "armed_attack", 100, 7, 36.47, 40.74);
        b.perps = Actors { named: actor_bit("SDF").unwrap(), suspected: 0, unknown: false };
        assert!(matches!(compare(&a, &b).veto, Some(Veto::Perpetrators { .. })));
        b.perps.suspected = b.perps.named;
        assert_eq!(compare(&a, &b).veto, None);
        let mut c = ev(3, "security_operation", 100, 7, 36.47, 40.74);
        let mut d = ev(4, "arrest", 100, 7, 36.47, 40.74);
        c.perps = Actors { named: actor_bit("COALITION").unwrap(), suspected: 0, unknown: false };
        d.perps = Actors { named: actor_bit("SDF").unwrap(), suspected: 0, unknown: false };
        let cmp = compare(&c, &d);
        assert_eq!(cmp.perps, SideMatch::Allied);
        assert_eq!(cmp.rule(), Some(Rule::DatedPlace));
    }

    #[test]
    fn coarse_places_need_an_equal_toll() {
        let mut a = ev(1, "armed_attack", 100, 0, f32::NAN, f32::NAN);
        let mut b = ev(2, "armed_attack", 100, 0, f32::NAN, f32::NAN);
        a.loc = LocPrecision::Admin1;
        b.loc = LocPrecision::Admin1;
        assert_eq!(compare(&a, &b).place, PlaceMatch::Governorate);
        assert_eq!(compare(&a, &b).rule(), None);
        a.counts[0] = Tally { value: 4, qualifier: Qualifier::Exact };
        b.counts[0] = Tally { value: 4, qualifier: Qualifier::Exact };
        assert_eq!(compare(&a, &b).rule(), Some(Rule::DatedArea));
        b.counts[0] = Tally { value: 40, qualifier: Qualifier::Exact };
        assert!(matches!(compare(&a, &b).far, CountMatch::Far { .. }));
        assert_eq!(compare(&a, &b).rule(), None);
        b.counts[0] = Tally { value: 40, qualifier: Qualifier::Exact };
        a.counts[0] = Tally { value: 4, qualifier: Qualifier::AtLeast };
        assert!(matches!(compare(&a, &b).count, CountMatch::Close { .. }));
    }
}
