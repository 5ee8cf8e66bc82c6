-- CreateTable
CREATE TABLE "PredictionFit" (
    "shop" TEXT NOT NULL,
    "asOf" TIMESTAMP(3) NOT NULL,
    "fittedAt" TIMESTAMP(3) NOT NULL,
    "timeZone" TEXT NOT NULL,
    "method" TEXT NOT NULL,
    "reasons" TEXT NOT NULL,
    "fits" TEXT NOT NULL,
    "backtest" TEXT NOT NULL,
    "customers" INTEGER NOT NULL,
    "typicalIntervalDays" DOUBLE PRECISION,
    "returningShare" DOUBLE PRECISION NOT NULL,

    CONSTRAINT "PredictionFit_pkey" PRIMARY KEY ("shop")
);

-- CreateTable
CREATE TABLE "CustomerPrediction" (
    "shop" TEXT NOT NULL,
    "customerId" TEXT NOT NULL,
    "method" TEXT NOT NULL,
    "frequency" INTEGER NOT NULL,
    "recencyDays" INTEGER NOT NULL,
    "ageDays" INTEGER NOT NULL,
    "monetaryCents" DOUBLE PRECISION NOT NULL,
    "averageValueCents" DOUBLE PRECISION NOT NULL,
    "expectedOrders30d" DOUBLE PRECISION NOT NULL,
    "expectedOrders90d" DOUBLE PRECISION NOT NULL,
    "expectedOrders365d" DOUBLE PRECISION NOT NULL,
    "pAlive" DOUBLE PRECISION NOT NULL,
    "expectedOrderValueCents" DOUBLE PRECISION NOT NULL,
    "predictedSpend365dCents" DOUBLE PRECISION NOT NULL,
    "daysOverdue" DOUBLE PRECISION,
    "lastOrderAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "CustomerPrediction_pkey" PRIMARY KEY ("shop","customerId")
);
