-- AlterTable
ALTER TABLE "RecommendationEvaluation" ADD COLUMN "changedAt" DATETIME;
