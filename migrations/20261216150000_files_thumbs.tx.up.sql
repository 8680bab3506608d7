-- Thumbnails of images (modules/files, thumbs.go): 0 not made yet, 1 made (kept beside the
-- blob's bytes, its key plus ".thumb.jpg"), 2 none (not decodable, too large). Per blob: the
-- same bytes uploaded twice share one thumbnail. The background job finds the blobs still at
-- 0 through the partial index.
ALTER TABLE files_blobs ADD COLUMN thumb SMALLINT NOT NULL DEFAULT 0
--bun:split
CREATE INDEX files_blobs_thumb_pending ON files_blobs (account_id, id) WHERE thumb = 0
