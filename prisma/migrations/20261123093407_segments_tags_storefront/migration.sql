-- CreateTable
CREATE TABLE "Shop" (
    "domain" TEXT NOT NULL PRIMARY KEY,
    "installedAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "uninstalledAt" DATETIME,
    "scopes" TEXT NOT NULL DEFAULT '',
    "currencyCode" TEXT NOT NULL DEFAULT 'USD',
    "settings" TEXT NOT NULL DEFAULT '{}',
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" DATETIME NOT NULL
);

-- CreateTable
CREATE TABLE "WebhookDelivery" (
    "webhookId" TEXT NOT NULL PRIMARY KEY,
    "shop" TEXT NOT NULL,
    "topic" TEXT NOT NULL,
    "apiVersion" TEXT,
    "eventId" TEXT,
    "triggeredAt" DATETIME,
    "payload" TEXT NOT NULL,
    "receivedAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "status" TEXT NOT NULL DEFAULT 'pending',
    "attempts" INTEGER NOT NULL DEFAULT 0,
    "lockedBy" TEXT,
    "lockedUntil" DATETIME,
    "lastError" TEXT,
    "processedAt" DATETIME
);

-- CreateTable
CREATE TABLE "Customer" (
    "shop" TEXT NOT NULL,
    "id" TEXT NOT NULL,
    "createdAt" DATETIME NOT NULL,
    "updatedAt" DATETIME NOT NULL,
    "tags" TEXT NOT NULL DEFAULT '',
    "countryCode" TEXT,
    "provinceCode" TEXT,
    "city" TEXT,
    "emailMarketingState" TEXT,
    "shopifyRfmGroup" TEXT,
    "numberOfOrders" INTEGER NOT NULL DEFAULT 0,
    "amountSpentCents" BIGINT NOT NULL DEFAULT 0,
    "orders" INTEGER NOT NULL DEFAULT 0,
    "spentCents" BIGINT NOT NULL DEFAULT 0,
    "discountOrders" INTEGER NOT NULL DEFAULT 0,
    "firstOrderAt" DATETIME,
    "lastOrderAt" DATETIME,
    "recencyDays" INTEGER,
    "r" INTEGER,
    "f" INTEGER,
    "m" INTEGER,
    "rfmGroup" TEXT NOT NULL DEFAULT 'prospects',
    "scoredAt" DATETIME,
    "syncedAt" DATETIME NOT NULL,

    PRIMARY KEY ("shop", "id")
);

-- CreateTable
CREATE TABLE "Product" (
    "shop" TEXT NOT NULL,
    "id" TEXT NOT NULL,
    "title" TEXT NOT NULL,
    "handle" TEXT NOT NULL,
    "productType" TEXT NOT NULL DEFAULT '',
    "vendor" TEXT NOT NULL DEFAULT '',
    "tags" TEXT NOT NULL DEFAULT '',
    "collections" TEXT NOT NULL DEFAULT '',
    "status" TEXT NOT NULL DEFAULT 'ACTIVE',
    "updatedAt" DATETIME,
    "syncedAt" DATETIME NOT NULL,

    PRIMARY KEY ("shop", "id")
);

-- CreateTable
CREATE TABLE "Order" (
    "shop" TEXT NOT NULL,
    "id" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "customerId" TEXT,
    "createdAt" DATETIME NOT NULL,
    "processedAt" DATETIME NOT NULL,
    "updatedAt" DATETIME NOT NULL,
    "cancelledAt" DATETIME,
    "test" BOOLEAN NOT NULL DEFAULT false,
    "totalCents" BIGINT NOT NULL,
    "discountCents" BIGINT NOT NULL DEFAULT 0,
    "currencyCode" TEXT NOT NULL DEFAULT 'USD',
    "discountCodes" TEXT NOT NULL DEFAULT '',
    "sourceName" TEXT,
    "shippingCountry" TEXT,
    "syncedAt" DATETIME NOT NULL,

    PRIMARY KEY ("shop", "id")
);

-- CreateTable
CREATE TABLE "LineItem" (
    "shop" TEXT NOT NULL,
    "id" TEXT NOT NULL,
    "orderId" TEXT NOT NULL,
    "productId" TEXT,
    "variantId" TEXT,
    "quantity" INTEGER NOT NULL,
    "unitPriceCents" BIGINT NOT NULL,

    PRIMARY KEY ("shop", "id")
);

-- CreateTable
CREATE TABLE "SyncRun" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "shop" TEXT NOT NULL,
    "kind" TEXT NOT NULL,
    "status" TEXT NOT NULL DEFAULT 'running',
    "phase" TEXT NOT NULL DEFAULT 'starting',
    "bulkOperationId" TEXT,
    "recordsDone" INTEGER NOT NULL DEFAULT 0,
    "recordsTotal" INTEGER,
    "checkpoint" TEXT NOT NULL DEFAULT '{}',
    "report" TEXT,
    "error" TEXT,
    "startedAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "finishedAt" DATETIME
);

-- CreateTable
CREATE TABLE "SyncCursor" (
    "shop" TEXT NOT NULL,
    "resource" TEXT NOT NULL,
    "updatedAt" DATETIME NOT NULL,

    PRIMARY KEY ("shop", "resource")
);

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
CREATE INDEX "WebhookDelivery_status_receivedAt_idx" ON "WebhookDelivery"("status", "receivedAt");

-- CreateIndex
CREATE INDEX "WebhookDelivery_shop_receivedAt_idx" ON "WebhookDelivery"("shop", "receivedAt");

-- CreateIndex
CREATE INDEX "Customer_shop_updatedAt_idx" ON "Customer"("shop", "updatedAt");

-- CreateIndex
CREATE INDEX "Customer_shop_rfmGroup_idx" ON "Customer"("shop", "rfmGroup");

-- CreateIndex
CREATE INDEX "Order_shop_customerId_idx" ON "Order"("shop", "customerId");

-- CreateIndex
CREATE INDEX "Order_shop_processedAt_idx" ON "Order"("shop", "processedAt");

-- CreateIndex
CREATE INDEX "Order_shop_updatedAt_idx" ON "Order"("shop", "updatedAt");

-- CreateIndex
CREATE INDEX "LineItem_shop_orderId_idx" ON "LineItem"("shop", "orderId");

-- CreateIndex
CREATE INDEX "LineItem_shop_productId_idx" ON "LineItem"("shop", "productId");

-- CreateIndex
CREATE INDEX "SyncRun_shop_startedAt_idx" ON "SyncRun"("shop", "startedAt");

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

-- CreateIndex
CREATE INDEX "Session_shop_idx" ON "Session"("shop");
