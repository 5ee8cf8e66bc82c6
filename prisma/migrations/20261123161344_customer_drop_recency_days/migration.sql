-- RedefineTables
PRAGMA defer_foreign_keys=ON;
PRAGMA foreign_keys=OFF;
CREATE TABLE "new_Customer" (
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
    "r" INTEGER,
    "f" INTEGER,
    "m" INTEGER,
    "rfmGroup" TEXT NOT NULL DEFAULT 'prospects',
    "scoredAt" DATETIME,
    "syncedAt" DATETIME NOT NULL,

    PRIMARY KEY ("shop", "id")
);
INSERT INTO "new_Customer" ("amountSpentCents", "city", "countryCode", "createdAt", "discountOrders", "emailMarketingState", "f", "firstOrderAt", "id", "lastOrderAt", "m", "numberOfOrders", "orders", "provinceCode", "r", "rfmGroup", "scoredAt", "shop", "shopifyRfmGroup", "spentCents", "syncedAt", "tags", "updatedAt") SELECT "amountSpentCents", "city", "countryCode", "createdAt", "discountOrders", "emailMarketingState", "f", "firstOrderAt", "id", "lastOrderAt", "m", "numberOfOrders", "orders", "provinceCode", "r", "rfmGroup", "scoredAt", "shop", "shopifyRfmGroup", "spentCents", "syncedAt", "tags", "updatedAt" FROM "Customer";
DROP TABLE "Customer";
ALTER TABLE "new_Customer" RENAME TO "Customer";
CREATE INDEX "Customer_shop_rfmGroup_idx" ON "Customer"("shop", "rfmGroup");
PRAGMA foreign_keys=ON;
PRAGMA defer_foreign_keys=OFF;
