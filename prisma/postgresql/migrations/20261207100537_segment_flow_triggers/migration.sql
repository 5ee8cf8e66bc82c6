-- AlterTable
ALTER TABLE "Segment" ADD COLUMN     "flowCursor" INTEGER NOT NULL DEFAULT 0,
ADD COLUMN     "flowEnabledAt" TIMESTAMP(3),
ADD COLUMN     "flowError" TEXT;

-- CreateIndex
CREATE INDEX "SegmentEvent_segmentId_id_idx" ON "SegmentEvent"("segmentId", "id");
