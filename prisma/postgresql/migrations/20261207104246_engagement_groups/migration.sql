-- AlterTable
ALTER TABLE "Shop" ADD COLUMN     "engagementCheckedAt" TIMESTAMP(3),
ADD COLUMN     "sendsShopifyEmail" BOOLEAN;
