-- RedefineTables
PRAGMA defer_foreign_keys=ON;
PRAGMA foreign_keys=OFF;
CREATE TABLE "new_SegmentDailyStat" (
    "shop" TEXT NOT NULL,
    "segmentId" TEXT NOT NULL,
    "day" TEXT NOT NULL,
    "members" INTEGER NOT NULL,
    "revenueCents" BIGINT NOT NULL DEFAULT 0,
    "orders" INTEGER NOT NULL DEFAULT 0,

    PRIMARY KEY ("segmentId", "day")
);
INSERT INTO "new_SegmentDailyStat" ("day", "members", "revenueCents", "segmentId", "shop") SELECT "day", "members", "revenueCents", "segmentId", "shop" FROM "SegmentDailyStat";
DROP TABLE "SegmentDailyStat";
ALTER TABLE "new_SegmentDailyStat" RENAME TO "SegmentDailyStat";
CREATE INDEX "SegmentDailyStat_shop_day_idx" ON "SegmentDailyStat"("shop", "day");
PRAGMA foreign_keys=ON;
PRAGMA defer_foreign_keys=OFF;

-- CreateIndex
CREATE INDEX "SegmentEvent_shop_customerId_at_idx" ON "SegmentEvent"("shop", "customerId", "at");

-- Each segment's latest day gets its members' orders now (older days keep 0: unknown), so the
-- admin's AOV is right before the next recompute.
UPDATE "SegmentDailyStat" SET "orders" = (
  SELECT COALESCE(SUM(c."orders"), 0) FROM "SegmentMember" m
  JOIN "Customer" c ON c."shop" = m."shop" AND c."id" = m."customerId"
  WHERE m."segmentId" = "SegmentDailyStat"."segmentId"
) WHERE "day" = (
  SELECT MAX(d."day") FROM "SegmentDailyStat" d WHERE d."segmentId" = "SegmentDailyStat"."segmentId"
);
