-- AlterTable
ALTER TABLE "Shop" ADD COLUMN "engagementCheckedAt" DATETIME;
ALTER TABLE "Shop" ADD COLUMN "sendsShopifyEmail" BOOLEAN;
