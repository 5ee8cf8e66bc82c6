-- AlterTable
ALTER TABLE "Shop" ADD COLUMN     "storefrontPausedAt" TIMESTAMP(3);
