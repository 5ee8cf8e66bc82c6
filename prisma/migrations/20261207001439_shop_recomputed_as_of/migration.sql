-- AlterTable
ALTER TABLE "Shop" ADD COLUMN "recomputedAsOf" DATETIME;
