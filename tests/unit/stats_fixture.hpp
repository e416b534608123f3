#pragma once
// The calendar behind the `plan stats` tests, for the period 2026-11-30..2026-12-13 (ISO weeks
// 49 and 50) in Europe/Paris, with the contract workspace's accounts and category targets.
//
// - lundi: masto every Monday 2 → 30 November: 5 of the 6 Mondays of the window (period and
//   the 4 weeks before), so Monday 7 December is a gap.
// - jeudi: bsky every Thursday 5 → 26 November: 4 of 6 Thursdays, so 3 and 10 December are
//   gaps (a draft is planned on the 10th).
// - In the period, 6 ready posts: W49 lundi@11-30, promo-1, promo-2; W50 coulisses-1,
//   coulisses-2, sans-cat. Mix: inspiration 1, behind-the-scenes 2, promo 2, uncategorised 1.
// - Campaign noel-2026: promo-1 (1 Dec 10:00), promo-2, sans-cat (12 Dec 11:00).
namespace cmtool::test {

inline const char* k_stats_calendar = R"(posts:
  - id: lundi
    at: 2026-11-02 09:00
    channels: [masto]
    category: inspiration
    text: Inspiration du lundi.
    repeat: {every: week, count: 5}
  - id: jeudi
    at: 2026-11-05 12:00
    channels: [bsky]
    category: inspiration
    text: Le jeudi sur Bluesky.
    repeat: {every: week, count: 4}
  - id: promo-1
    at: 2026-12-01 10:00
    channels: [masto, bsky]
    category: promo
    campaign: noel-2026
    text: Noël approche.
  - id: promo-2
    at: 2026-12-04 10:00
    channels: [masto, insta]
    category: promo
    campaign: noel-2026
    text: Les cadeaux.
  - id: annule
    at: 2026-12-02 10:00
    channels: [masto]
    status: cancelled
    category: promo
    text: Annulé.
  - id: coulisses-1
    at: 2026-12-09 15:00
    channels: [insta]
    category: behind-the-scenes
    text: Dans l'atelier.
  - id: brouillon
    at: 2026-12-10 09:00
    channels: [bsky]
    status: draft
    text: Pas encore prêt.
  - id: coulisses-2
    at: 2026-12-11 15:00
    channels: [insta]
    category: behind-the-scenes
    text: Le vernissage.
  - id: sans-cat
    at: 2026-12-12 11:00
    channels: [masto]
    campaign: noel-2026
    text: Sans catégorie.
)";

}  // namespace cmtool::test
