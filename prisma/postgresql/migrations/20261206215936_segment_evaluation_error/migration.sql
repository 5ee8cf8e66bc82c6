-- AlterTable
ALTER TABLE "Segment" ADD COLUMN     "evaluationError" TEXT,
ADD COLUMN     "evaluationFailedAt" TIMESTAMP(3);
