-- AlterTable
ALTER TABLE "LineItem" ADD COLUMN     "giftCard" BOOLEAN NOT NULL DEFAULT false;

-- AlterTable
ALTER TABLE "Recommendation" ADD COLUMN     "source" TEXT NOT NULL DEFAULT 'bought_together';

-- CreateTable
CREATE TABLE "UpsellProductChoice" (
    "shop" TEXT NOT NULL,
    "productId" TEXT NOT NULL,
    "choice" TEXT NOT NULL,
    "decidedAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "UpsellProductChoice_pkey" PRIMARY KEY ("shop","productId")
);

-- CreateTable
CREATE TABLE "RecommendationEvaluation" (
    "shop" TEXT NOT NULL,
    "cutoff" TIMESTAMP(3) NOT NULL,
    "computedAt" TIMESTAMP(3) NOT NULL,
    "result" TEXT NOT NULL,

    CONSTRAINT "RecommendationEvaluation_pkey" PRIMARY KEY ("shop")
);
