//! The vocabulary of the lexicon files: what an entry says about the words it matches.

/// Part of speech of a trigger or effect form, which decides where its arguments are.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Pos {
    /// Active verb ("قتل", "هاجمت", "يستهدف"): subject before or right after, object after.
    Verb,
    /// Passive verb ("قُتل", "أصيب", "لقي مصرعه"): the patient is the subject.
    Passive,
    /// Verbal noun ("مقتل", "هجوم", "اعتقال"): the patient follows, the agent after "من قبل"/"لـ".
    Masdar,
    /// A noun counted by a number before it ("قتيلا", "جرحى", "مصابين").
    Noun,
    /// A multi-word phrase ("عملية أمنية", "إنزال جوي").
    Phrase,
}

impl Pos {
    fn parse(s: &str) -> Option<Pos> {
        Some(match s {
            "verb" => Pos::Verb,
            "passive" => Pos::Passive,
            "masdar" => Pos::Masdar,
            "noun" => Pos::Noun,
            "phrase" => Pos::Phrase,
            _ => return None,
        })
    }
}

/// Grammatical number of a form.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Number {
    Singular,
    Dual,
    Plural,
}

impl Number {
    fn parse(s: &str) -> Option<Number> {
        Some(match s {
            "sg" => Number::Singular,
            "du" => Number::Dual,
            "pl" => Number::Plural,
            _ => return None,
        })
    }
}

/// A count role (taxonomy.md).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Role {
    Killed,
    Injured,
    Arrested,
    Escaped,
    Abducted,
}

impl Role {
    pub fn as_str(self) -> &'static str {
        match self {
            Role::Killed => "killed",
            Role::Injured => "injured",
            Role::Arrested => "arrested",
            Role::Escaped => "escaped",
            Role::Abducted => "abducted",
        }
    }
    fn parse(s: &str) -> Option<Role> {
        Some(match s {
            "killed" => Role::Killed,
            "injured" => Role::Injured,
            "arrested" => Role::Arrested,
            "escaped" => Role::Escaped,
            "abducted" => Role::Abducted,
            _ => return None,
        })
    }
}

/// What a cue word signals.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Cue {
    /// Who reports (value: the short source name).
    Source,
    /// A speech or documentation verb that introduces reported content ("قال", "أفاد", "وثق").
    Speech,
    /// A claim of responsibility ("تبنى", "أعلن مسؤوليته").
    Claim,
    /// A hedge that makes the next actor suspected ("يعتقد", "يرجح", "يشتبه").
    Hedge,
    /// A denial or an absence of outcome ("نفى", "دون وقوع", "لم يسفر").
    Negation,
    /// A question word ("هل").
    Question,
    /// A warning, fear or hypothetical ("يخشى", "قد", "تحسبا", "في حال").
    Hypothetical,
    /// A habitual or generic statement ("بشكل متكرر", "باستمرار", "عادة").
    Habitual,
    /// The period of an aggregate ("منذ", "خلال الفترة", "حصيلة").
    Period,
    /// A stock figure verb ("يضم", "يحوي", "يعيش").
    Stock,
    /// Disease ("كورونا", "الوباء").
    Disease,
    /// Accident or disaster ("حريق", "حادث سير").
    Accident,
    /// Introduces the agent of a verbal noun or passive ("من قبل", "على يد", "نفذه", "برصاص").
    Agent,
    /// Introduces the target ("ضد", "استهدف", "على").
    Target,
    /// "بين" of a two-sided clash.
    Between,
    /// A detention site or its inmates: makes "فرار" a prison break.
    Prison,
    /// Aircraft: makes "قصف" an airstrike.
    Air,
    /// Opens a different incident ("وفي بيان منفصل", "في حادثة أخرى", "وكذلك").
    NewEvent,
    /// Opens a breakdown of a total ("من بينهم", "بينهم", "منهم").
    Breakdown,
    /// Count qualifier (value: at_least, more_than, about, up_to).
    Qualifier,
    /// "آخر/آخرين/آخرون" after a count: "another".
    Other,
    /// "lost his life" after "فقدان/فقد": turns it into a killing ("لحياته", "حياتهم").
    Life,
    /// A past-context marker ("وكان … قد", "سابقا", "في وقت سابق"): background, not the news.
    Past,
    /// An origin phrase head ("من سكان", "ينحدر من"): the place after it is not the event's.
    Origin,
    /// A report of a result ("أسفر عن", "أدى إلى", "خلف", "ما أسفر"): effects after it belong to
    /// the event before it.
    Result,
}

impl Cue {
    fn parse(s: &str) -> Option<Cue> {
        Some(match s {
            "source" => Cue::Source,
            "speech" => Cue::Speech,
            "claim" => Cue::Claim,
            "hedge" => Cue::Hedge,
            "negation" => Cue::Negation,
            "question" => Cue::Question,
            "hypothetical" => Cue::Hypothetical,
            "habitual" => Cue::Habitual,
            "period" => Cue::Period,
            "stock" => Cue::Stock,
            "disease" => Cue::Disease,
            "accident" => Cue::Accident,
            "agent" => Cue::Agent,
            "target" => Cue::Target,
            "between" => Cue::Between,
            "prison" => Cue::Prison,
            "air" => Cue::Air,
            "new_event" => Cue::NewEvent,
            "breakdown" => Cue::Breakdown,
            "qualifier" => Cue::Qualifier,
            "other" => Cue::Other,
            "life" => Cue::Life,
            "past" => Cue::Past,
            "origin" => Cue::Origin,
            "result" => Cue::Result,
            _ => return None,
        })
    }
}

/// Class of a person noun.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum PersonClass {
    /// Fighters and officials of an armed actor ("عنصر", "ضابط", "قيادي").
    Member,
    /// Civilians ("مدني", "طفل", "لاجئ", "راعٍ").
    Civilian,
    /// Detainees ("سجين", "معتقل", "أسير").
    Detainee,
    /// Anyone ("شخص", "رجل").
    Generic,
}

impl PersonClass {
    fn parse(s: &str) -> Option<PersonClass> {
        Some(match s {
            "member" => PersonClass::Member,
            "civilian" => PersonClass::Civilian,
            "detainee" => PersonClass::Detainee,
            "generic" => PersonClass::Generic,
            _ => return None,
        })
    }
}

/// One lexicon entry.
#[derive(Debug, Clone, PartialEq)]
pub enum Entry {
    /// A word that says an event of `event_type` happened.
    Trigger { event_type: &'static str, pos: Pos, number: Number, flags: Flags },
    /// A word that says people were killed, injured, arrested, escaped or abducted.
    Effect { role: Role, pos: Pos, number: Number, flags: Flags },
    /// A name of an armed actor or victim group.
    Actor { code: String, flags: Flags },
    /// A cue word.
    Cue { cue: Cue, value: String },
    /// A noun that counts people ("عنصر", "مدنيين").
    Person { class: PersonClass, number: Number },
}

/// Entry flags, from the last column of the lexicon files.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Flags(u32);

impl Flags {
    /// Trigger: only an event when nothing more specific is in the clause (مقتل، قتل، جثة).
    pub const WEAK: u32 = 1;
    /// Trigger: needs a detention-site cue in the sentence (فرار، هروب).
    pub const NEEDS_PRISON: u32 = 2;
    /// Trigger: aircraft words turn this into an airstrike (قصف، استهدف بالصواريخ).
    pub const AIR_UPGRADE: u32 = 4;
    /// Actor: a back-reference ("التنظيم") that counts only when the document names the actor.
    pub const ANAPHOR: u32 = 8;
    /// Trigger: a generic noun that names an event only when a result or a place pins it
    /// ("عملية", "استهداف").
    pub const GENERIC: u32 = 16;
    /// Actor: an armed group only as perpetrator context, never a victim group by default.
    pub const PERP_ONLY: u32 = 32;
    /// Effect/trigger: a killing by a third party on the trigger itself needs no agent (جثة).
    pub const BODY: u32 = 64;

    pub fn has(self, f: u32) -> bool {
        self.0 & f != 0
    }

    fn parse(s: &str) -> Result<Flags, String> {
        let mut v = 0;
        for f in s.split(',').map(str::trim).filter(|f| !f.is_empty() && *f != "-") {
            v |= match f {
                "weak" => Self::WEAK,
                "needs_prison" => Self::NEEDS_PRISON,
                "air_upgrade" => Self::AIR_UPGRADE,
                "anaphor" => Self::ANAPHOR,
                "generic" => Self::GENERIC,
                "perp_only" => Self::PERP_ONLY,
                "body" => Self::BODY,
                other => return Err(format!("unknown flag {other:?}")),
            };
        }
        Ok(Flags(v))
    }
}

/// Parses one data line of a lexicon file into (form, entry).
pub(crate) fn parse_line(file: &str, cols: &[&str]) -> Result<(String, Entry), String> {
    let col = |i: usize| cols.get(i).copied().unwrap_or("").trim();
    let form = col(0).to_string();
    if form.is_empty() {
        return Err("empty form".into());
    }
    let entry = match file {
        "triggers" => {
            let ty = col(1);
            let event_type = marsad_model_types::event_type(ty).ok_or(format!("unknown event type {ty:?}"))?;
            Entry::Trigger {
                event_type,
                pos: Pos::parse(col(2)).ok_or(format!("unknown pos {:?}", col(2)))?,
                number: Number::parse(col(3)).ok_or(format!("unknown number {:?}", col(3)))?,
                flags: Flags::parse(col(4))?,
            }
        }
        "effects" => Entry::Effect {
            role: Role::parse(col(1)).ok_or(format!("unknown role {:?}", col(1)))?,
            pos: Pos::parse(col(2)).ok_or(format!("unknown pos {:?}", col(2)))?,
            number: Number::parse(col(3)).ok_or(format!("unknown number {:?}", col(3)))?,
            flags: Flags::parse(col(4))?,
        },
        "actors" => {
            let code = col(1);
            if code.is_empty() {
                return Err("empty actor code".into());
            }
            Entry::Actor { code: code.to_string(), flags: Flags::parse(col(2))? }
        }
        "cues" => Entry::Cue {
            cue: Cue::parse(col(1)).ok_or(format!("unknown cue {:?}", col(1)))?,
            value: col(2).to_string(),
        },
        "persons" => Entry::Person {
            class: PersonClass::parse(col(1)).ok_or(format!("unknown class {:?}", col(1)))?,
            number: Number::parse(col(2)).ok_or(format!("unknown number {:?}", col(2)))?,
        },
        other => return Err(format!("unknown lexicon file {other}")),
    };
    Ok((form, entry))
}

/// The event type names of taxonomy.md, interned as `'static` strings.
mod marsad_model_types {
    pub const EVENT_TYPES: &[&str] = &[
        "armed_attack", "ambush", "armed_clash", "bombing", "shelling", "airstrike",
        "assassination", "execution", "abduction", "killing", "prison_break",
        "security_operation", "arrest", "weapons_seizure", "territorial_change", "curfew",
        "displacement", "mobilization",
    ];
    pub fn event_type(s: &str) -> Option<&'static str> {
        EVENT_TYPES.iter().copied().find(|t| *t == s)
    }
}
