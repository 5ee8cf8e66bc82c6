-- AlterTable
ALTER TABLE "Customer" DROP COLUMN "recencyDays";
