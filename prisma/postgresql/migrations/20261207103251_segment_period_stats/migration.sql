-- CreateTable
CREATE TABLE "SegmentPeriodStat" (
    "shop" TEXT NOT NULL,
    "segmentId" TEXT NOT NULL,
    "grain" TEXT NOT NULL,
    "start" TEXT NOT NULL,
    "members" INTEGER NOT NULL,
    "cohort" INTEGER NOT NULL,
    "buyers" INTEGER NOT NULL,
    "repeatBuyers" INTEGER NOT NULL,
    "orders" INTEGER NOT NULL,
    "revenueCents" BIGINT NOT NULL,
    "entered" INTEGER NOT NULL,
    "left" INTEGER NOT NULL,
    "computedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "SegmentPeriodStat_pkey" PRIMARY KEY ("segmentId","grain","start")
);

-- CreateIndex
CREATE INDEX "SegmentPeriodStat_shop_grain_start_idx" ON "SegmentPeriodStat"("shop", "grain", "start");
