-- DropIndex
DROP INDEX "Order_shop_customerId_idx";

-- DropIndex
DROP INDEX "LineItem_shop_orderId_idx";

-- DropIndex
DROP INDEX "LineItem_shop_productId_idx";

-- CreateIndex
CREATE INDEX "Order_shop_customerId_counted_idx" ON "Order"("shop", "customerId", "processedAt", "cancelledAt", "test", "totalCents", "discountCodes");

-- CreateIndex
CREATE INDEX "LineItem_shop_orderId_productId_idx" ON "LineItem"("shop", "orderId", "productId");

-- CreateIndex
CREATE INDEX "LineItem_shop_productId_orderId_idx" ON "LineItem"("shop", "productId", "orderId");
