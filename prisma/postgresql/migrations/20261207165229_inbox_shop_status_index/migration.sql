-- DropIndex
DROP INDEX "WebhookDelivery_shop_receivedAt_idx";

-- CreateIndex
CREATE INDEX "WebhookDelivery_shop_status_receivedAt_idx" ON "WebhookDelivery"("shop", "status", "receivedAt");
