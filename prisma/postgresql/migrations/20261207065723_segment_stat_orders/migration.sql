-- AlterTable
ALTER TABLE "SegmentDailyStat" ADD COLUMN     "orders" INTEGER NOT NULL DEFAULT 0;

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
