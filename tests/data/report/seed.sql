-- The report fixture's state: deliveries (ledger), tracked posts, post and account snapshots.
-- Times are Unix seconds (UTC); Europe/Paris is UTC+1 in November. Week 2026-W47 runs from
-- 2026-11-15T23:00Z (1794783600) to 2026-11-22T23:00Z (1795388400); W46 is the week before.
-- Every figure these rows give is worked out by hand in expected.md.

-- Deliveries: scheduled at the calendar times; sent_at decides on time (<= 15 min) or late.
INSERT INTO deliveries (id, occurrence_id, post_id, channel, platform, scheduled_at,
                        content_hash, state, parts_total, created_at, updated_at, sent_at) VALUES
  (1, 'avant', 'avant', 'masto', 'mastodon', 1794297600, 'h0', 'sent', 1, 1794297600, 1794297600, 1794297600),      -- 11-10 08:00Z, on time
  (2, 'lampe-laiton', 'lampe-laiton', 'masto', 'mastodon', 1794816000, 'h1', 'sent', 1, 1794816000, 1794816120, 1794816120), -- +2 min: on time
  (3, 'lampe-laiton', 'lampe-laiton', 'bsky', 'bluesky', 1794816000, 'h1', 'sent', 1, 1794816000, 1794817800, 1794817800),   -- +30 min: late
  (4, 'coulisses', 'coulisses', 'masto', 'mastodon', 1795021200, 'h2', 'sent', 1, 1795021200, 1795021200, 1795021200),       -- 11-18 17:00Z
  (5, 'inspi', 'inspi', 'masto', 'mastodon', 1795172400, 'h3', 'sent', 1, 1795172400, 1795172460, 1795172460),               -- 11-20 11:00Z, +1 min
  (6, 'inspi', 'inspi', 'bsky', 'bluesky', 1795172400, 'h3', 'failed', 1, 1795172400, 1795172400, NULL),
  (7, 'manquee', 'manquee', 'bsky', 'bluesky', 1795251600, 'h4', 'missed', 1, 1795251600, 1795262400, NULL);           -- 11-21 09:00Z

INSERT INTO metric_sources (id, platform, mapping) VALUES
  (1, 'mastodon', 'likes=favourites_count;reposts=reblogs_count;replies=replies_count'),
  (2, 'bluesky', 'likes=likeCount;reposts=repostCount;replies=replyCount;quotes=quoteCount'),
  (3, 'mastodon', 'followers=followers_count;following=following_count;posts=statuses_count'),
  (4, 'bluesky', 'followers=followersCount;following=followsCount;posts=postsCount');

INSERT INTO pull_runs (id, started_at, finished_at, status) VALUES (1, 1794211200, 1794211260, 'ok');

INSERT INTO tracked_posts (id, account, platform, remote_id, url, delivery_id, post_id,
                           occurrence_id, published_at, excerpt, first_seen) VALUES
  (10, 'masto', 'mastodon', '100', 'https://mastodon.example/@atelier/100', 1, 'avant', 'avant', 1794297600, 'La semaine d''avant, pour comparer.', 1794297600),
  (11, 'masto', 'mastodon', '101', 'https://mastodon.example/@atelier/101', 2, 'lampe-laiton', 'lampe-laiton', 1794816120, 'Notre lampe en laiton revient pour Noël.', 1794816120),
  (12, 'bsky', 'bluesky', 'at://did:plc:atelier/app.bsky.feed.post/201', 'https://bsky.app/profile/atelier.bsky.example/post/201', 3, 'lampe-laiton', 'lampe-laiton', 1794817800, 'Notre lampe en laiton revient pour Noël.', 1794817800),
  (13, 'masto', 'mastodon', '103', 'https://mastodon.example/@atelier/103', 4, 'coulisses', 'coulisses', 1795021200, 'Dans les coulisses de l''atelier, le polissage.', 1795021200),
  (14, 'masto', 'mastodon', '104', 'https://mastodon.example/@atelier/104', 5, 'inspi', 'inspi', 1795172460, 'Trois sources de lumière pour un salon chaleureux.', 1795172460),
  (15, 'masto', 'mastodon', '105', 'https://mastodon.example/@atelier/105', NULL, NULL, NULL, 1795114800, '<b>Soldes & "promo"</b> ce soir à l''atelier', 1795114800);

-- Post snapshots. Mastodon gives likes, reposts, replies; Bluesky adds quotes; neither gives
-- bookmarks (for others' posts) or views: those stay NULL.
INSERT INTO post_snapshots (post, taken_at, likes, reposts, replies, quotes, bookmarks, views, source, run) VALUES
  (10, 1794772800, 12, 2, 1, NULL, NULL, NULL, 1, 1),  -- 11-15 20:00Z: 15, the W46 figure
  (10, 1795377600, 14, 2, 1, NULL, NULL, NULL, 1, 1),  -- 11-22 20:00Z: not used for W46
  (11, 1794873600, 5, 1, 0, NULL, NULL, NULL, 1, 1),   -- 11-17 00:00Z: superseded
  (11, 1795377600, 20, 4, 1, NULL, NULL, NULL, 1, 1),  -- 11-22 20:00Z: 25
  (11, 1795507200, 30, 5, 2, NULL, NULL, NULL, 1, 1),  -- 11-24 08:00Z: after the end, ignored
  (12, 1795377600, 8, 2, 1, 1, NULL, NULL, 2, 1),      -- 12
  (13, 1795377600, 10, 2, 3, NULL, NULL, NULL, 1, 1),  -- 15
  (14, 1795255200, 3, 0, 0, NULL, NULL, NULL, 1, 1),   -- 11-21 10:00Z: 3, stale (> 24 h old)
  (15, 1795377600, 40, 6, 4, NULL, NULL, NULL, 1, 1);  -- 50

-- Followers.
INSERT INTO account_snapshots (account, platform, taken_at, followers, following, posts, source, run) VALUES
  ('masto', 'mastodon', 1794178800, 980, 50, 300, 3, 1),   -- 11-08 23:00Z = W46 start
  ('masto', 'mastodon', 1794783600, 1000, 50, 301, 3, 1),  -- 11-15 23:00Z = W47 start
  ('masto', 'mastodon', 1795089600, 1040, 50, 303, 3, 1),  -- 11-19 12:00Z
  ('masto', 'mastodon', 1795384800, 1080, 51, 305, 3, 1),  -- 11-22 22:00Z
  ('masto', 'mastodon', 1795507200, 1100, 51, 305, 3, 1),  -- 11-24 08:00Z: after the end
  ('bsky', 'bluesky', 1794783600, 400, 80, 120, 4, 1),     -- 11-15 23:00Z
  ('bsky', 'bluesky', 1795384800, 410, 80, 121, 4, 1);     -- 11-22 22:00Z
