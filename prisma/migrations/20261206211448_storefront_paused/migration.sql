-- AlterTable
ALTER TABLE "Shop" ADD COLUMN "storefrontPausedAt" DATETIME;
