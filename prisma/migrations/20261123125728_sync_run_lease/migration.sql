-- DropIndex
DROP INDEX "Customer_shop_updatedAt_idx";

-- DropIndex
DROP INDEX "Order_shop_updatedAt_idx";

-- AlterTable
ALTER TABLE "SyncRun" ADD COLUMN "leasedBy" TEXT;
ALTER TABLE "SyncRun" ADD COLUMN "leasedUntil" DATETIME;
