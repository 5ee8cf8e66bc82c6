-- AlterTable
ALTER TABLE "Segment" ADD COLUMN "evaluationError" TEXT;
ALTER TABLE "Segment" ADD COLUMN "evaluationFailedAt" DATETIME;
