-- CreateTable
CREATE TABLE "PredictionFit" (
    "shop" TEXT NOT NULL PRIMARY KEY,
    "asOf" DATETIME NOT NULL,
    "fittedAt" DATETIME NOT NULL,
    "timeZone" TEXT NOT NULL,
    "method" TEXT NOT NULL,
    "reasons" TEXT NOT NULL,
    "fits" TEXT NOT NULL,
    "backtest" TEXT NOT NULL,
    "customers" INTEGER NOT NULL,
    "typicalIntervalDays" REAL,
    "returningShare" REAL NOT NULL
);

-- CreateTable
CREATE TABLE "CustomerPrediction" (
    "shop" TEXT NOT NULL,
    "customerId" TEXT NOT NULL,
    "method" TEXT NOT NULL,
    "frequency" INTEGER NOT NULL,
    "recencyDays" INTEGER NOT NULL,
    "ageDays" INTEGER NOT NULL,
    "monetaryCents" REAL NOT NULL,
    "averageValueCents" REAL NOT NULL,
    "expectedOrders30d" REAL NOT NULL,
    "expectedOrders90d" REAL NOT NULL,
    "expectedOrders365d" REAL NOT NULL,
    "pAlive" REAL NOT NULL,
    "expectedOrderValueCents" REAL NOT NULL,
    "predictedSpend365dCents" REAL NOT NULL,
    "daysOverdue" REAL,
    "lastOrderAt" DATETIME NOT NULL,

    PRIMARY KEY ("shop", "customerId")
);
