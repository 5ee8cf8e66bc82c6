-- RedefineTables
PRAGMA defer_foreign_keys=ON;
PRAGMA foreign_keys=OFF;
CREATE TABLE "new_Segment" (
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
    "evaluationError" TEXT,
    "evaluationFailedAt" DATETIME,
    "flowEnabledAt" DATETIME,
    "flowCursor" INTEGER NOT NULL DEFAULT 0,
    "flowError" TEXT,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" DATETIME NOT NULL
);
INSERT INTO "new_Segment" ("createdAt", "description", "evaluationError", "evaluationFailedAt", "handle", "id", "kind", "memberCount", "name", "rule", "shop", "shopifySegmentId", "tagEnabled", "updatedAt") SELECT "createdAt", "description", "evaluationError", "evaluationFailedAt", "handle", "id", "kind", "memberCount", "name", "rule", "shop", "shopifySegmentId", "tagEnabled", "updatedAt" FROM "Segment";
DROP TABLE "Segment";
ALTER TABLE "new_Segment" RENAME TO "Segment";
CREATE UNIQUE INDEX "Segment_shop_handle_key" ON "Segment"("shop", "handle");
PRAGMA foreign_keys=ON;
PRAGMA defer_foreign_keys=OFF;

-- CreateIndex
CREATE INDEX "SegmentEvent_segmentId_id_idx" ON "SegmentEvent"("segmentId", "id");
