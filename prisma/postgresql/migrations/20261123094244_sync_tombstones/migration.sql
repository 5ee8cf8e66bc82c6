-- CreateTable
CREATE TABLE "SyncTombstone" (
    "shop" TEXT NOT NULL,
    "id" TEXT NOT NULL,
    "deletedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "SyncTombstone_pkey" PRIMARY KEY ("shop","id")
);
