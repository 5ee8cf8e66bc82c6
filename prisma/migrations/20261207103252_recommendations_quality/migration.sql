-- CreateTable
CREATE TABLE "UpsellProductChoice" (
    "shop" TEXT NOT NULL,
    "productId" TEXT NOT NULL,
    "choice" TEXT NOT NULL,
    "decidedAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,

    PRIMARY KEY ("shop", "productId")
);

-- CreateTable
CREATE TABLE "RecommendationEvaluation" (
    "shop" TEXT NOT NULL PRIMARY KEY,
    "cutoff" DATETIME NOT NULL,
    "computedAt" DATETIME NOT NULL,
    "result" TEXT NOT NULL
);

-- RedefineTables
PRAGMA defer_foreign_keys=ON;
PRAGMA foreign_keys=OFF;
CREATE TABLE "new_LineItem" (
    "shop" TEXT NOT NULL,
    "id" TEXT NOT NULL,
    "orderId" TEXT NOT NULL,
    "productId" TEXT,
    "variantId" TEXT,
    "quantity" INTEGER NOT NULL,
    "unitPriceCents" BIGINT NOT NULL,
    "giftCard" BOOLEAN NOT NULL DEFAULT false,

    PRIMARY KEY ("shop", "id")
);
INSERT INTO "new_LineItem" ("id", "orderId", "productId", "quantity", "shop", "unitPriceCents", "variantId") SELECT "id", "orderId", "productId", "quantity", "shop", "unitPriceCents", "variantId" FROM "LineItem";
DROP TABLE "LineItem";
ALTER TABLE "new_LineItem" RENAME TO "LineItem";
CREATE INDEX "LineItem_shop_orderId_productId_idx" ON "LineItem"("shop", "orderId", "productId");
CREATE INDEX "LineItem_shop_productId_orderId_idx" ON "LineItem"("shop", "productId", "orderId");
CREATE TABLE "new_Recommendation" (
    "shop" TEXT NOT NULL,
    "productId" TEXT NOT NULL,
    "recommendedId" TEXT NOT NULL,
    "rank" INTEGER NOT NULL,
    "score" REAL NOT NULL,
    "support" INTEGER NOT NULL,
    "source" TEXT NOT NULL DEFAULT 'bought_together',

    PRIMARY KEY ("shop", "productId", "recommendedId")
);
INSERT INTO "new_Recommendation" ("productId", "rank", "recommendedId", "score", "shop", "support") SELECT "productId", "rank", "recommendedId", "score", "shop", "support" FROM "Recommendation";
DROP TABLE "Recommendation";
ALTER TABLE "new_Recommendation" RENAME TO "Recommendation";
CREATE INDEX "Recommendation_shop_productId_rank_idx" ON "Recommendation"("shop", "productId", "rank");
PRAGMA foreign_keys=ON;
PRAGMA defer_foreign_keys=OFF;
