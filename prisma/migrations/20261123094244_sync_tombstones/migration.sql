-- CreateTable
CREATE TABLE "SyncTombstone" (
    "shop" TEXT NOT NULL,
    "id" TEXT NOT NULL,
    "deletedAt" DATETIME NOT NULL,

    PRIMARY KEY ("shop", "id")
);
