-- CreateTable
CREATE TABLE "Segment" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "shop" TEXT NOT NULL,
    "handle" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "kind" TEXT NOT NULL,
    "description" TEXT NOT NULL DEFAULT '',
    "rule" TEXT,
    "tagEnabled" BOOLEAN NOT NULL DEFAULT false,
    "shopifySegmentId" TEXT,
    "memberCount" INTEGER NOT NULL DEFAULT 0,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" DATETIME NOT NULL
);

-- CreateTable
CREATE TABLE "SegmentMember" (
    "shop" TEXT NOT NULL,
    "segmentId" TEXT NOT NULL,
    "customerId" TEXT NOT NULL,
    "enteredAt" DATETIME NOT NULL,

    PRIMARY KEY ("segmentId", "customerId")
);

-- CreateTable
CREATE TABLE "SegmentEvent" (
    "id" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    "shop" TEXT NOT NULL,
    "segmentId" TEXT NOT NULL,
    "customerId" TEXT NOT NULL,
    "kind" TEXT NOT NULL,
    "at" DATETIME NOT NULL
);

-- CreateTable
CREATE TABLE "SegmentDailyStat" (
    "shop" TEXT NOT NULL,
    "segmentId" TEXT NOT NULL,
    "day" TEXT NOT NULL,
    "members" INTEGER NOT NULL,
    "revenueCents" BIGINT NOT NULL DEFAULT 0,

    PRIMARY KEY ("segmentId", "day")
);

-- CreateTable
CREATE TABLE "TagLedger" (
    "shop" TEXT NOT NULL,
    "customerId" TEXT NOT NULL,
    "tag" TEXT NOT NULL,
    "segmentId" TEXT,
    "reason" TEXT NOT NULL DEFAULT '',
    "state" TEXT NOT NULL,
    "addedAt" DATETIME,
    "updatedAt" DATETIME NOT NULL,

    PRIMARY KEY ("shop", "customerId", "tag")
);

-- CreateTable
CREATE TABLE "Bar" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "shop" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "enabled" BOOLEAN NOT NULL DEFAULT true,
    "priority" INTEGER NOT NULL DEFAULT 0,
    "config" TEXT NOT NULL,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" DATETIME NOT NULL
);

-- CreateTable
CREATE TABLE "UpsellOverride" (
    "shop" TEXT NOT NULL,
    "productId" TEXT NOT NULL,
    "pinned" TEXT NOT NULL DEFAULT '',
    "excluded" TEXT NOT NULL DEFAULT '',
    "updatedAt" DATETIME NOT NULL,

    PRIMARY KEY ("shop", "productId")
);

-- CreateTable
CREATE TABLE "Recommendation" (
    "shop" TEXT NOT NULL,
    "productId" TEXT NOT NULL,
    "recommendedId" TEXT NOT NULL,
    "rank" INTEGER NOT NULL,
    "score" REAL NOT NULL,
    "support" INTEGER NOT NULL,

    PRIMARY KEY ("shop", "productId", "recommendedId")
);

-- CreateTable
CREATE TABLE "PublishedMetafield" (
    "shop" TEXT NOT NULL,
    "ownerId" TEXT NOT NULL,
    "namespace" TEXT NOT NULL,
    "key" TEXT NOT NULL,
    "digest" TEXT NOT NULL,
    "publishedAt" DATETIME NOT NULL,

    PRIMARY KEY ("shop", "ownerId", "namespace", "key")
);

-- CreateIndex
CREATE UNIQUE INDEX "Segment_shop_handle_key" ON "Segment"("shop", "handle");

-- CreateIndex
CREATE INDEX "SegmentMember_shop_customerId_idx" ON "SegmentMember"("shop", "customerId");

-- CreateIndex
CREATE INDEX "SegmentEvent_shop_at_idx" ON "SegmentEvent"("shop", "at");

-- CreateIndex
CREATE INDEX "SegmentEvent_segmentId_at_idx" ON "SegmentEvent"("segmentId", "at");

-- CreateIndex
CREATE INDEX "SegmentDailyStat_shop_day_idx" ON "SegmentDailyStat"("shop", "day");

-- CreateIndex
CREATE INDEX "TagLedger_shop_state_idx" ON "TagLedger"("shop", "state");

-- CreateIndex
CREATE INDEX "Bar_shop_idx" ON "Bar"("shop");

-- CreateIndex
CREATE INDEX "Recommendation_shop_productId_rank_idx" ON "Recommendation"("shop", "productId", "rank");
