-- AlterTable
ALTER TABLE "Shop" ADD COLUMN     "recomputedAsOf" TIMESTAMP(3);
