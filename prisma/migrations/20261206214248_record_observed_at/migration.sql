-- AlterTable
ALTER TABLE "Customer" ADD COLUMN "observedAt" DATETIME;

-- AlterTable
ALTER TABLE "Product" ADD COLUMN "observedAt" DATETIME;

-- AlterTable
ALTER TABLE "Order" ADD COLUMN "observedAt" DATETIME;
