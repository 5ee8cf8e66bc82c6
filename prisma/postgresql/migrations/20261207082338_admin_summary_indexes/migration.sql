-- CreateIndex
CREATE INDEX "Customer_shop_r_f_m_idx" ON "Customer"("shop", "r", "f", "m");

-- CreateIndex
CREATE INDEX "Customer_shop_orders_spentCents_idx" ON "Customer"("shop", "orders", "spentCents");

-- CreateIndex
CREATE INDEX "TagLedger_shop_segmentId_state_idx" ON "TagLedger"("shop", "segmentId", "state");
