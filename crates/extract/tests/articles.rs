//! Whole articles written for these tests (invented incidents in the styles of the outlets marsad
//! reads): one event per incident, with its type, tolls, actors, date and governorate.
//! The governorate checks need the real gazetteer (../shared/data/gazetteer) and skip without it.

use marsad_extract::Engine;
use marsad_gazetteer::Gazetteer;
use marsad_model::{Document, EventRecord, GivenMeta};
use std::sync::OnceLock;

fn engine() -> &'static (Engine, bool) {
    static E: OnceLock<(Engine, bool)> = OnceLock::new();
    E.get_or_init(|| match Gazetteer::default_dir() {
        Some(dir) => (Engine::new(Gazetteer::load(Some(&dir)).expect("gazetteer loads")), true),
        None => {
            eprintln!("no gazetteer directory (../shared/data/gazetteer): governorate checks skipped");
            (Engine::new(Gazetteer::empty()), false)
        }
    })
}

fn events(text: &str, published: Option<&str>) -> Vec<EventRecord> {
    let doc = Document {
        id: "a".into(),
        text: text.into(),
        given: GivenMeta { published: published.map(str::to_string), ..GivenMeta::default() },
        origin: "test".into(),
        encoding: "utf-8".into(),
    };
    engine().0.process(&doc).events
}

fn count(e: &EventRecord, role: &str) -> Option<Option<u64>> {
    e.counts.get(role).map(|c| c.value)
}

fn actors(list: &[marsad_model::ActorRef]) -> Vec<&str> {
    list.iter().map(|a| a.actor.as_str()).collect()
}

#[test]
fn desert_ambush_told_three_times_is_one_event() {
    let text = "مقتل 4 جنود في كمين لداعش ببادية حمص\n\n\
        قتل أربعة جنود من قوات النظام وأصيب اثنان آخران، مساء الثلاثاء، في كمين نصبه عناصر تنظيم داعش لحافلة عسكرية في بادية حمص الشرقية.\n\
        وقالت مصادر محلية إن الكمين وقع على الطريق الواصل إلى مدينة تدمر.\n\
        وأضافت المصادر أن عناصر التنظيم انسحبوا بعد الهجوم باتجاه عمق البادية.";
    let ev = events(text, Some("2023-03-15"));
    let ambush: Vec<_> = ev.iter().filter(|e| e.event_type == "ambush").collect();
    assert_eq!(ambush.len(), 1, "{ev:#?}");
    let e = ambush[0];
    assert_eq!(count(e, "killed"), Some(Some(4)));
    assert_eq!(count(e, "injured"), Some(Some(2)));
    assert!(actors(&e.perpetrators).contains(&"ISIS"));
    assert!(actors(&e.targets).contains(&"SYRIAN_GOV"));
    assert_eq!(e.date.from.as_deref(), Some("2023-03-14"), "{:?}", e.date);
    if engine().1 {
        assert_eq!(e.location.as_ref().and_then(|l| l.admin1.as_deref()), Some("SY04"));
    }
    assert_eq!(ev.len(), 1, "{ev:#?}");
}

#[test]
fn camp_killing_and_an_earlier_one_are_two_events() {
    let text = "مقتل لاجئة في مخيم الهول\n\n\
        عثرت قوى الأمن الداخلي صباح اليوم على جثة لاجئة عراقية داخل خيمتها في القسم الخامس من مخيم الهول شرقي الحسكة، بعد أن قتلها مجهولون بأداة حادة.\n\
        وكانت قوى الأمن قد عثرت الأسبوع الماضي على جثة رجل سوري آخر مقتولا بالرصاص في القسم الأول من المخيم.";
    let ev = events(text, Some("2022-06-09"));
    let kills: Vec<_> = ev.iter().filter(|e| e.counts.contains_key("killed")).collect();
    assert_eq!(kills.len(), 2, "{ev:#?}");
    assert_eq!(count(kills[0], "killed"), Some(Some(1)));
    assert!(actors(&kills[0].targets).contains(&"CIVILIANS"), "{:?}", kills[0].targets);
    assert_eq!(kills[0].date.from.as_deref(), Some("2022-06-09"));
    if engine().1 {
        assert_eq!(kills[0].location.as_ref().and_then(|l| l.admin1.as_deref()), Some("SY08"));
    }
}

#[test]
fn joint_raid_with_arrests() {
    let text = "قسد والتحالف يعتقلون قياديا في داعش\n\n\
        نفذت قوات سوريا الديمقراطية بمساندة التحالف الدولي، فجر الأحد، عملية إنزال جوي في بلدة الشحيل بريف دير الزور الشرقي، أسفرت عن اعتقال قيادي في تنظيم داعش وثلاثة من مرافقيه.\n\
        وأوضح بيان لقسد أن العملية جاءت بعد رصد تحركات الخلية لأسابيع.";
    let ev = events(text, Some("2021-11-07"));
    assert_eq!(ev.len(), 1, "{ev:#?}");
    let e = &ev[0];
    assert!(matches!(e.event_type.as_str(), "security_operation" | "arrest"), "{}", e.event_type);
    let p = actors(&e.perpetrators);
    assert!(p.contains(&"SDF") || p.contains(&"COALITION"), "{p:?}");
    assert!(actors(&e.targets).contains(&"ISIS"));
    assert!(e.counts.contains_key("arrested"), "{:?}", e.counts);
    if engine().1 {
        assert_eq!(e.location.as_ref().and_then(|l| l.admin1.as_deref()), Some("SY09"));
    }
}

#[test]
fn iraqi_attack_stays_in_iraq() {
    let text = "هجوم لداعش على الحشد الشعبي في ديالى\n\n\
        قتل ثلاثة من عناصر الحشد الشعبي وأصيب خمسة آخرون بهجوم شنه مسلحو تنظيم داعش على نقطة أمنية في قضاء خانقين شمال شرقي محافظة ديالى.\n\
        وقالت خلية الإعلام الأمني إن القوات الأمنية باشرت عمليات تفتيش في المنطقة.";
    let ev = events(text, None);
    let attacks: Vec<_> = ev.iter().filter(|e| e.event_type == "armed_attack").collect();
    assert_eq!(attacks.len(), 1, "{ev:#?}");
    let e = attacks[0];
    assert_eq!(count(e, "killed"), Some(Some(3)));
    assert_eq!(count(e, "injured"), Some(Some(5)));
    assert!(actors(&e.targets).contains(&"IRAQ_GOV"));
    assert_eq!(e.date.precision, marsad_model::DatePrecision::Unknown);
    if engine().1 {
        let loc = e.location.as_ref().expect("a place");
        assert_eq!(loc.country.as_deref(), Some("IQ"), "{loc:?}");
    }
}

#[test]
fn prison_attack_and_the_escape_it_caused() {
    let text = "هجوم على سجن في الحسكة وفرار معتقلين\n\n\
        شنت خلايا تنظيم داعش هجوما بسيارتين مفخختين على سجن في مدينة الحسكة، ما أسفر عن مقتل 12 من الحراس، وتمكن نحو 40 معتقلا من الفرار من السجن.\n\
        وألقت قوى الأمن الداخلي القبض على 15 من الفارين في الأحياء المجاورة.";
    let ev = events(text, Some("2022-01-21"));
    let attack: Vec<_> = ev.iter().filter(|e| matches!(e.event_type.as_str(), "armed_attack" | "bombing")).collect();
    let brk: Vec<_> = ev.iter().filter(|e| e.event_type == "prison_break").collect();
    assert_eq!(attack.len(), 1, "{ev:#?}");
    assert_eq!(brk.len(), 1, "{ev:#?}");
    assert_eq!(count(attack[0], "killed"), Some(Some(12)));
    assert_eq!(count(brk[0], "escaped"), Some(Some(40)));
    assert!(!attack[0].counts.contains_key("escaped"));
}

#[test]
fn covid_and_history_give_no_event() {
    let text = "تقرير عن أوضاع السجون\n\n\
        توفي عشرة معتقلين في سجن الحسكة خلال الشهر الماضي بسبب فيروس كورونا.\n\
        ويضم السجن أكثر من خمسة آلاف معتقل من عناصر التنظيم.";
    let ev = events(text, Some("2021-02-01"));
    assert!(ev.iter().all(|e| e.counts.is_empty()), "{ev:#?}");
}

#[test]
fn a_claim_of_three_attacks_gives_three_events() {
    let text = "داعش يتبنى ثلاث هجمات في ريف دير الزور\n\n\
        تبنى تنظيم داعش عبر وكالة أعماق التابعة له، ثلاث هجمات استهدفت عناصر من قوات سوريا الديمقراطية في ريف دير الزور خلال اليومين الماضيين.\n\
        وقالت الوكالة إن مسلحي التنظيم هاجموا حاجزا لقسد في بلدة البصيرة، ما أدى إلى مقتل عنصرين.\n\
        كما استهدف التنظيم سيارة عسكرية بعبوة ناسفة قرب بلدة الشحيل، ما أسفر عن إصابة ثلاثة عناصر.\n\
        وفي هجوم ثالث، اغتال مسلحون مجهولون يعتقد أنهم من خلايا التنظيم عنصرا في قوى الأمن الداخلي في بلدة ذيبان.\n\
        وتأتي هذه الهجمات بعد أيام من هجوم مماثل استهدف نقطة عسكرية في المنطقة.";
    let ev = events(text, None);
    assert_eq!(ev.len(), 3, "{ev:#?}");
    assert_eq!(count(&ev[0], "killed"), Some(Some(2)));
    assert_eq!(ev[1].event_type, "bombing");
    assert_eq!(count(&ev[1], "injured"), Some(Some(3)));
    assert_eq!(ev[2].event_type, "assassination");
    assert!(ev[2].perpetrators.iter().any(|a| a.actor == "ISIS" && a.suspected), "{:?}", ev[2].perpetrators);
    // The bombing's sentence names no victim group; the others name قسد and قوى الأمن الداخلي.
    for e in [&ev[0], &ev[2]] {
        assert!(actors(&e.targets).contains(&"SDF"), "{:?}", e.targets);
    }
    assert!(actors(&ev[1].perpetrators).contains(&"ISIS"));
}

#[test]
fn iraqi_statement_with_martyrdom_words() {
    let text = "استشهاد ضابط وجنديين بهجوم لعصابات داعش في كركوك\n\n\
        أعلنت خلية الإعلام الأمني، اليوم الأحد، استشهاد ضابط برتبة ملازم وجنديين من الجيش العراقي وإصابة ثلاثة آخرين، إثر تعرض ربيئة عسكرية لهجوم من قبل عصابات داعش الإرهابية في ناحية الرياض جنوب غرب كركوك.\n\
        وأضافت الخلية أن القوات الأمنية باشرت بعملية تفتيش واسعة لملاحقة الإرهابيين.";
    let ev = events(text, None);
    assert_eq!(ev.len(), 1, "{ev:#?}");
    assert_eq!(count(&ev[0], "killed"), Some(Some(3)));
    assert_eq!(count(&ev[0], "injured"), Some(Some(3)));
    assert!(actors(&ev[0].perpetrators).contains(&"ISIS"));
    assert!(actors(&ev[0].targets).contains(&"IRAQ_GOV"));
}

#[test]
fn attackers_killed_belong_to_the_attack() {
    let text = "مقتل حراس في هجوم على سجن\n\n\
        أعلنت قوات سوريا الديمقراطية مقتل 9 من حراس السجن المركزي في مدينة الحسكة خلال التصدي لهجوم شنه تنظيم داعش على السجن.\n\
        وقال بيان لقسد إن قواتها قتلت 11 من المهاجمين.";
    let ev = events(text, None);
    let attacks: Vec<_> = ev.iter().filter(|e| e.counts.contains_key("killed")).collect();
    assert_eq!(attacks.len(), 1, "{ev:#?}");
}

#[test]
fn a_concurrent_second_act_and_a_running_toll() {
    let text = "مقتل 6 عناصر من قوات النظام بهجوم لخلايا داعش في بادية الميادين\n\n\
        أفاد المرصد السوري لحقوق الإنسان بمقتل 6 عناصر من قوات النظام والميليشيات الموالية لها، جراء هجوم نفذته خلايا تنظيم داعش على مواقعهم في بادية الميادين شرقي دير الزور، فجر اليوم.\n\
        وأشار المرصد إلى أن الهجوم تزامن مع استهداف حافلة عسكرية بعبوة ناسفة على طريق دير الزور – تدمر، ما أدى إلى إصابة 3 عناصر آخرين.\n\
        وبذلك يرتفع إلى 213 عدد قتلى قوات النظام والميليشيات الموالية لها منذ مطلع العام الجاري، خلال هجمات وكمائن وتفجيرات لخلايا التنظيم.";
    let doc = Document { id: "b".into(), text: text.into(), given: GivenMeta::default(), origin: "t".into(), encoding: "utf-8".into() };
    let out = engine().0.process(&doc);
    assert_eq!(out.events.len(), 2, "{:#?}", out.events);
    assert_eq!(count(&out.events[0], "killed"), Some(Some(6)));
    assert_eq!(out.events[1].event_type, "bombing");
    assert_eq!(count(&out.events[1], "injured"), Some(Some(3)));
    assert_eq!(out.tallies.len(), 1, "{:#?}", out.tallies);
    assert_eq!(out.tallies[0].value.value, Some(213));
    assert_eq!(out.tallies[0].victims.as_deref(), Some("SYRIAN_GOV"));
}

#[test]
fn a_body_found_in_the_camp() {
    let text = "العثور على جثة لاجئة عراقية في مخيم الهول\n\n\
        عثرت قوى الأمن الداخلي، صباح الأحد، على جثة لاجئة عراقية مقتولة بطلق ناري في الرأس داخل خيمتها في القطاع الرابع من مخيم الهول شرقي الحسكة.\n\
        وقالت مصادر من داخل المخيم إن مجهولين أطلقوا النار على المرأة ليلا ولاذوا بالفرار.\n\
        ويشهد المخيم بين الحين والآخر جرائم قتل تطال قاطنيه، وسط اتهامات لخلايا داعش بالوقوف خلفها.";
    let ev = events(text, Some("2022-08-07"));
    assert_eq!(ev.len(), 1, "{ev:#?}");
    assert_eq!(ev[0].event_type, "killing");
    assert_eq!(count(&ev[0], "killed"), Some(Some(1)));
    assert_eq!(actors(&ev[0].perpetrators), vec!["UNKNOWN"]);
    assert_eq!(actors(&ev[0].targets), vec!["CIVILIANS"]);
    assert_eq!(ev[0].date.from.as_deref(), Some("2022-08-07"));
}
