-- CreateTable
CREATE TABLE "ReplenishableProduct" (
    "shop" TEXT NOT NULL,
    "productId" TEXT NOT NULL,
    "days" INTEGER NOT NULL,
    "repurchases" INTEGER NOT NULL,
    "repeatCustomers" INTEGER NOT NULL,
    "customers" INTEGER NOT NULL,
    "computedAt" DATETIME NOT NULL,

    PRIMARY KEY ("shop", "productId")
);
