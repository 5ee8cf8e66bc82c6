-- CreateTable
CREATE TABLE "BarEventDay" (
    "shop" TEXT NOT NULL,
    "barId" TEXT NOT NULL,
    "day" TEXT NOT NULL,
    "kind" TEXT NOT NULL,
    "count" INTEGER NOT NULL,

    PRIMARY KEY ("shop", "barId", "day", "kind")
);
