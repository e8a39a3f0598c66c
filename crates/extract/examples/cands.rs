//! Development aid: print the candidates of one document, clause by clause.
use marsad_extract::{candidates, prepare::Prepared, Engine};
use marsad_gazetteer::Gazetteer;

fn main() {
    let path = std::env::args().nth(1).expect("path");
    let gaz = Gazetteer::load(Gazetteer::default_dir().as_deref()).unwrap_or_else(|_| Gazetteer::empty());
    let engine = Engine::new(gaz);
    let outcome = marsad_ingest::read_paths(&[path.into()]);
    for d in &outcome.docs {
        let mut a = marsad_ingest::analyse(d);
        let p = Prepared::new(&engine, d, &mut a);
        for c in candidates::find(&p) {
            let t = &p.text()[c.clause.start..c.clause.end];
            println!(
                "s{} {} standalone={} def={} new={} counts={:?} perps={:?} targets={:?}\n    {}",
                c.clause.sentence,
                c.event_type,
                c.standalone,
                c.definite,
                c.clause.new_event,
                c.counts.iter().map(|(r, v)| (r.as_str(), v.value, v.qualifier)).collect::<Vec<_>>(),
                c.perpetrators.iter().map(|a| a.code.as_str()).collect::<Vec<_>>(),
                c.targets.iter().map(|a| a.code.as_str()).collect::<Vec<_>>(),
                t.chars().take(160).collect::<String>()
            );
        }
    }
}
