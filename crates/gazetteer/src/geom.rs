//! Just enough geometry for the gazetteer: GeoJSON polygons, point-in-polygon (even-odd rule over
//! every ring, so holes and multipolygons need no special case), distance to the boundary and a
//! vertex centroid.

use serde_json::Value;

/// A polygon or multipolygon as a flat list of rings of (lon, lat).
#[derive(Debug, Clone, Default)]
pub struct Shape {
    pub rings: Vec<Vec<(f64, f64)>>,
}

impl Shape {
    /// Reads a GeoJSON geometry (`Polygon` or `MultiPolygon`); other types give an empty shape.
    pub fn from_geojson(geom: &Value) -> Shape {
        let mut rings = Vec::new();
        let coords = &geom["coordinates"];
        match geom["type"].as_str() {
            Some("Polygon") => read_polygon(coords, &mut rings),
            Some("MultiPolygon") => {
                for poly in coords.as_array().into_iter().flatten() {
                    read_polygon(poly, &mut rings);
                }
            }
            _ => {}
        }
        Shape { rings }
    }

    pub fn is_empty(&self) -> bool {
        self.rings.is_empty()
    }

    /// Whether (lon, lat) lies inside (even-odd rule).
    pub fn contains(&self, lon: f64, lat: f64) -> bool {
        let mut inside = false;
        for ring in &self.rings {
            let n = ring.len();
            if n < 3 {
                continue;
            }
            let mut j = n - 1;
            for i in 0..n {
                let (xi, yi) = ring[i];
                let (xj, yj) = ring[j];
                if (yi > lat) != (yj > lat) {
                    let x = (xj - xi) * (lat - yi) / (yj - yi) + xi;
                    if lon < x {
                        inside = !inside;
                    }
                }
                j = i;
            }
        }
        inside
    }

    /// Smallest distance from (lon, lat) to the boundary, in kilometres (equirectangular).
    pub fn distance_km(&self, lon: f64, lat: f64) -> f64 {
        let kx = 111.32 * lat.to_radians().cos();
        let ky = 110.57;
        let mut best = f64::INFINITY;
        for ring in &self.rings {
            for w in ring.windows(2) {
                let (ax, ay) = ((w[0].0 - lon) * kx, (w[0].1 - lat) * ky);
                let (bx, by) = ((w[1].0 - lon) * kx, (w[1].1 - lat) * ky);
                let (dx, dy) = (bx - ax, by - ay);
                let len2 = dx * dx + dy * dy;
                let t = if len2 > 0.0 { (-(ax * dx + ay * dy) / len2).clamp(0.0, 1.0) } else { 0.0 };
                let (px, py) = (ax + t * dx, ay + t * dy);
                best = best.min((px * px + py * py).sqrt());
            }
        }
        best
    }

    /// Mean of the outer ring's vertices as (lat, lon): good enough for a neighbourhood.
    pub fn centroid(&self) -> Option<(f64, f64)> {
        let ring = self.rings.first()?;
        if ring.is_empty() {
            return None;
        }
        let n = ring.len() as f64;
        let (sx, sy) = ring.iter().fold((0.0, 0.0), |(a, b), (x, y)| (a + x, b + y));
        Some((sy / n, sx / n))
    }
}

fn read_polygon(v: &Value, rings: &mut Vec<Vec<(f64, f64)>>) {
    for ring in v.as_array().into_iter().flatten() {
        let pts: Vec<(f64, f64)> = ring
            .as_array()
            .into_iter()
            .flatten()
            .filter_map(|p| Some((p.get(0)?.as_f64()?, p.get(1)?.as_f64()?)))
            .collect();
        if pts.len() >= 3 {
            rings.push(pts);
        }
    }
}

/// Great-circle distance in kilometres.
pub fn haversine_km(lat1: f64, lon1: f64, lat2: f64, lon2: f64) -> f64 {
    let (p1, p2) = (lat1.to_radians(), lat2.to_radians());
    let dp = p2 - p1;
    let dl = (lon2 - lon1).to_radians();
    let a = (dp / 2.0).sin().powi(2) + p1.cos() * p2.cos() * (dl / 2.0).sin().powi(2);
    6371.0 * 2.0 * a.sqrt().asin()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn square_with_hole() {
        let g: Value = serde_json::from_str(
            r#"{"type":"Polygon","coordinates":[[[0,0],[10,0],[10,10],[0,10],[0,0]],[[4,4],[6,4],[6,6],[4,6],[4,4]]]}"#,
        )
        .unwrap();
        let s = Shape::from_geojson(&g);
        assert!(s.contains(1.0, 1.0));
        assert!(!s.contains(5.0, 5.0));
        assert!(!s.contains(11.0, 5.0));
        assert!(s.distance_km(1.0, 5.0) > 100.0);
        assert!((haversine_km(0.0, 0.0, 0.0, 1.0) - 111.2).abs() < 1.0);
    }
}
